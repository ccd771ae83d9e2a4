"""The permission matrix: every URL of the project → expected status per persona and relation.

Personas hold a role in (or a SRANE scope over) the *own* school, a collège of 87. Each URL
that takes a `uai` is requested for the own school, another school of the same département
and a school of another département. `test_permission_matrix.py` fails on a URL of the
resolver that has no entry here, and on an entry whose URL no longer exists.
"""

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
STAFF = ("rrupn", "head", "direction", "gestionnaire", "documentaliste", "teacher", "cpe")
SRANE = ("srane_department", "srane_academie")
PERSONAS = (*STAFF, *SRANE, ANONYMOUS)
RELATIONS = ("own", "other_school", "other_department")
LOGIN = 302  # anonymous visitors are redirected to the login page


@dataclass(frozen=True)
class EstablishmentPage:
    """A page of one establishment: roles in `allowed` get `ok`, other roles there 403,
    everybody without a role there 404 (the establishment does not exist for them)."""

    allowed: frozenset
    ok: int = 200

    def expected(self, persona, relation):
        if persona == ANONYMOUS:
            return LOGIN
        if persona in STAFF and relation == "own":
            return self.ok if persona in self.allowed else 403
        return 404


@dataclass(frozen=True)
class EstablishmentObjectPage:
    """A page of one object of the own school (the sample letter, drafted by the direction for
    another teacher): roles in `visible` get `ok`, other staff 404, like other schools."""

    visible: frozenset
    ok: int = 200

    def expected(self, persona, relation):
        if persona == ANONYMOUS:
            return LOGIN
        if persona in STAFF and relation == "own" and persona in self.visible:
            return self.ok
        return 404


@dataclass(frozen=True)
class SranePage:
    """A SRANE page; with a `uai`, an establishment outside the scope is 404."""

    with_uai: bool
    ok: int = 200

    def expected(self, persona, relation):
        if persona == ANONYMOUS:
            return LOGIN
        if persona in STAFF:
            return 403
        if self.with_uai and persona == "srane_department" and relation == "other_department":
            return 404
        return self.ok


@dataclass(frozen=True)
class SraneOwnedPage:
    """A SRANE object of one person (the sample export, requested by the `owner` persona):
    the owner gets `ok`, any other SRANE 404 (it does not exist for them), staff 403."""

    owner: str
    ok: int = 200

    def expected(self, persona, relation):
        if persona == ANONYMOUS:
            return LOGIN
        if persona in STAFF:
            return 403
        return self.ok if persona == self.owner else 404


@dataclass(frozen=True)
class Fixed:
    """Same answer whatever the relation: `anonymous`, `staff` and `srane` statuses."""

    anonymous: int
    staff: int
    srane: int | None = None
    superuser_only: bool = field(default=False)

    def expected(self, persona, relation):
        if persona == ANONYMOUS:
            return self.anonymous
        if persona in STAFF:
            return self.staff
        return self.staff if self.srane is None else self.srane


ALL_STAFF = frozenset(STAFF)
DIRECTION = frozenset({"head", "direction"})
PILOTS = DIRECTION | {"rrupn"}  # commission.manage
GAR_SUBSCRIPTIONS = DIRECTION | {"gestionnaire", "rrupn", "documentaliste"}
TICKET_HANDLERS = PILOTS | {"gestionnaire"}  # tickets.handle
PUBLIC = Fixed(anonymous=200, staff=200)
LOGGED_IN = Fixed(anonymous=LOGIN, staff=200)
ADMIN_ONLY = Fixed(anonymous=LOGIN, staff=LOGIN)  # the admin sends non-staff to its login

MATRIX = {
    # Core
    "home": Fixed(anonymous=LOGIN, staff=302, srane=302),
    "health": PUBLIC,
    "set_language": Fixed(anonymous=302, staff=302),
    "accounts:profile": LOGGED_IN,
    "dashboard:switch": Fixed(anonymous=LOGIN, staff=405),  # POST only
    "dashboard:establishment": EstablishmentPage(ALL_STAFF),
    "dashboard:inbox": EstablishmentPage(DIRECTION),
    "dashboard:audit_log": EstablishmentPage(DIRECTION),
    "dashboard:srane_overview": SranePage(with_uai=False),
    "dashboard:srane_establishment": SranePage(with_uai=True),
    "dashboard:srane_progress": SranePage(with_uai=False),
    "dashboard:srane_export_csv": SranePage(with_uai=False),
    "dashboard:srane_export_xlsx": SranePage(with_uai=False),
    "dashboard:srane_summary": SranePage(with_uai=False),
    "dashboard:srane_summary_request": SranePage(with_uai=False, ok=405),  # POST only
    "components": LOGGED_IN,
    # Mission letters: every staff member reaches the pages (the future RRUPN is often still a
    # teacher); which letters each one sees is narrowed per object (tests/missions/).
    "missions:list": EstablishmentPage(ALL_STAFF),
    "missions:create": EstablishmentPage(ALL_STAFF),
    "missions:detail": EstablishmentObjectPage(DIRECTION),
    "missions:edit": EstablishmentObjectPage(DIRECTION),
    "missions:pdf": EstablishmentObjectPage(DIRECTION, ok=302),  # not signed: back to the letter
    "missions:pdf_retry": EstablishmentPage(ALL_STAFF, ok=405),  # POST only
    # Public check of a printed letter; the sample code matches no letter.
    "verification:form": PUBLIC,
    "verification:code": Fixed(anonymous=404, staff=404),
    "missions:transition": EstablishmentPage(
        ALL_STAFF, ok=405
    ),  # POST only  # the DSFR components page, for anyone logged in
    # SRANE batch export of the letters; an export is its requester's only.
    "missions_srane:exports": SranePage(with_uai=False),
    "missions_srane:export_status": SraneOwnedPage(owner="srane_department"),
    "missions_srane:export_download": SraneOwnedPage(owner="srane_department", ok=302),  # queued
    # Commission: purchase proposals (RRUPN and direction propose, gestion sees the budget,
    # the head side decides) and remarkable practices (all staff read, pilots write and share).
    "commission:purchase_list": EstablishmentPage(DIRECTION | {"rrupn", "gestionnaire"}),
    "commission:purchase_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:purchase_detail": EstablishmentPage(DIRECTION | {"rrupn", "gestionnaire"}),
    "commission:purchase_decide": EstablishmentPage(DIRECTION, ok=405),  # POST only
    "commission:practice_list": EstablishmentPage(ALL_STAFF),
    "commission:practice_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:practice_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:practice_share": EstablishmentPage(DIRECTION | {"rrupn"}, ok=405),  # POST only
    "commission:practice_unshare": EstablishmentPage(DIRECTION | {"rrupn"}, ok=405),
    "commission_srane:practice_feed": SranePage(with_uai=False),
    # Commission: the recommended tools catalogue (all staff read it; the SRANE sees every
    # column) and the RGPD register (all staff read it, the pilots keep it).
    "commission:tools_catalogue": EstablishmentPage(ALL_STAFF),
    "commission:tools_comparison": EstablishmentPage(ALL_STAFF),
    "commission_srane:tools_catalogue": SranePage(with_uai=False),
    "commission:rgpd_register": EstablishmentPage(ALL_STAFF),
    "commission:rgpd_print": EstablishmentPage(ALL_STAFF),
    "commission:rgpd_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:rgpd_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:rgpd_delete": EstablishmentPage(DIRECTION | {"rrupn"}),  # GET: confirmation
    # Commission: digital project and training (all staff read, the pilots write; the SRANE
    # sees training needs aggregated by topic).
    "commission:project": EstablishmentPage(ALL_STAFF),
    "commission:project_axis_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:project_axis_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:project_indicator_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:project_indicator_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:project_values": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:training": EstablishmentPage(ALL_STAFF),
    "commission:training_need_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:training_need_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:training_action_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission:training_action_edit": EstablishmentPage(DIRECTION | {"rrupn"}),
    "commission_srane:training_needs": SranePage(with_uai=False),
    # Commission numérique: every staff member reads; the pilots (head, direction, RRUPN) write;
    # the direction validates the composition. Object pages use the sample commission's objects.
    "commission:home": EstablishmentPage(ALL_STAFF),
    "commission:commission_create": EstablishmentPage(PILOTS, ok=405),  # POST only
    "commission:member_add": EstablishmentPage(PILOTS),
    "commission:member_remove": EstablishmentPage(PILOTS, ok=405),
    "commission:composition_submit": EstablishmentPage(PILOTS, ok=405),
    "commission:composition_validate": EstablishmentPage(DIRECTION, ok=405),
    "commission:meeting_list": EstablishmentPage(ALL_STAFF),
    "commission:meeting_create": EstablishmentPage(PILOTS),
    "commission:meeting_detail": EstablishmentPage(ALL_STAFF),
    "commission:meeting_edit": EstablishmentPage(PILOTS),
    "commission:meeting_attendance": EstablishmentPage(PILOTS, ok=405),
    "commission:meeting_minutes": EstablishmentPage(PILOTS, ok=405),
    "commission:meeting_invite": EstablishmentPage(PILOTS, ok=405),
    "commission:meeting_action_create": EstablishmentPage(PILOTS, ok=405),
    "commission:meeting_minutes_pdf": EstablishmentPage(ALL_STAFF, ok=302),  # none yet: back
    "commission:meeting_minutes_pdf_request": EstablishmentPage(PILOTS, ok=405),
    "commission:action_list": EstablishmentPage(ALL_STAFF),
    "commission:action_status": EstablishmentPage(PILOTS, ok=405),
    # Classes and groups (shared core): all staff read; GAR assigners (and admins ENT) write.
    "divisions:list": EstablishmentPage(ALL_STAFF),
    "divisions:create": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}),
    "divisions:import": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}),
    "divisions:edit": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}),
    # GAR assignments: all staff read the coverage; the eligible responsables assign.
    "gar:assignments_list": EstablishmentPage(ALL_STAFF),
    "gar:assignments_detail": EstablishmentPage(ALL_STAFF),
    "gar:assignments_copy": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}, ok=405),
    "gar:assignments_divisions": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}, ok=405),
    "gar:assignments_teachers": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}, ok=405),
    "gar:assignments_establishment": EstablishmentPage(
        DIRECTION | {"rrupn", "documentaliste"}, ok=405
    ),
    "gar:assignments_remove": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}, ok=405),
    # GAR campaign: all staff read the checklist and the responsables; the responsables mark
    # subscriptions done; anyone proposes themselves, the direction decides; the SRANE reminds.
    "gar:campaign": EstablishmentPage(ALL_STAFF),
    "gar:campaign_done": EstablishmentPage(DIRECTION | {"rrupn", "documentaliste"}, ok=405),
    "gar:campaign_responsables": EstablishmentPage(ALL_STAFF),
    "gar:campaign_designate": EstablishmentPage(ALL_STAFF, ok=405),  # POST only
    "gar:campaign_decide": EstablishmentPage(DIRECTION, ok=405),
    "gar:campaign_withdraw": EstablishmentPage(ALL_STAFF, ok=405),
    "gar:campaign_ent_done": EstablishmentPage(ALL_STAFF, ok=405),
    "gar_srane:campaign": SranePage(with_uai=False),
    "gar_srane:campaign_due_date": Fixed(anonymous=LOGIN, staff=403, srane=405),  # POST only
    "gar_srane:campaign_remind_late": Fixed(anonymous=LOGIN, staff=403, srane=405),
    "gar_srane:campaign_remind": SranePage(with_uai=True, ok=405),
    # GAR catalogue and subscriptions: all staff see the school's resources; direction,
    # gestion, RRUPN and documentalists enter and import subscriptions (the sample
    # subscription of the own school comes with the assignments' sample).
    "gar:subscriptions_catalogue": EstablishmentPage(ALL_STAFF),
    "gar:subscriptions_list": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar:subscriptions_create": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar:subscriptions_edit": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar:subscriptions_import": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar:subscriptions_import_sample": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar:subscriptions_report_import": EstablishmentPage(GAR_SUBSCRIPTIONS),
    "gar_srane:subscriptions_catalogue": SranePage(with_uai=False),
    # Maintenance, incidents: every staff member reports; the sample incident (reported by the
    # RRUPN, queued for the GLPI of the Haute-Vienne) is seen by those who handle incidents; a
    # draft is edited by its author only (so nobody edits the sample).
    "maintenance:tickets_list": EstablishmentPage(ALL_STAFF),
    "maintenance:tickets_create": EstablishmentPage(ALL_STAFF),
    "maintenance:tickets_glpi_right": EstablishmentPage(frozenset({"head"})),
    "maintenance:tickets_detail": EstablishmentObjectPage(TICKET_HANDLERS),
    "maintenance:tickets_attachment": EstablishmentObjectPage(TICKET_HANDLERS),
    "maintenance:tickets_edit": EstablishmentObjectPage(frozenset()),
    "maintenance:tickets_submit": EstablishmentPage(ALL_STAFF, ok=405),  # POST only
    "maintenance:tickets_forward": EstablishmentPage(TICKET_HANDLERS, ok=405),
    "maintenance:tickets_mark_sent": EstablishmentPage(TICKET_HANDLERS, ok=405),
    "maintenance:tickets_level1": EstablishmentPage(TICKET_HANDLERS, ok=405),
    "maintenance:tickets_followup": EstablishmentPage(TICKET_HANDLERS, ok=405),  # POST only
    "maintenance:tickets_progress": EstablishmentPage(TICKET_HANDLERS, ok=405),  # POST only
    "maintenance_srane:tickets_by_collectivite": SranePage(with_uai=False),
    # Deliveries: the school's outbox with "échec — réessayer", the head's GLPI user tokens,
    # the SRANE's channels (application tokens, set by the académie's SRANE only).
    "maintenance:delivery_list": EstablishmentPage(TICKET_HANDLERS),
    "maintenance:delivery_retry": EstablishmentPage(TICKET_HANDLERS, ok=405),  # POST only
    "maintenance:delivery_credentials": EstablishmentPage(frozenset({"head"})),
    "maintenance_srane:delivery_channels": SranePage(with_uai=False),
    "maintenance_srane:delivery_channel_token": SranePage(with_uai=False, ok=405),  # POST only
    # Maintenance, equipment needs: the RRUPN and the direction propose, see and export them
    # (the sample need, proposed by the RRUPN, waits); the direction validates.
    "maintenance:equipment_list": EstablishmentPage(DIRECTION | {"rrupn"}),
    "maintenance:equipment_create": EstablishmentPage(DIRECTION | {"rrupn"}),
    "maintenance:equipment_detail": EstablishmentPage(DIRECTION | {"rrupn"}),
    "maintenance:equipment_decide": EstablishmentPage(DIRECTION, ok=405),  # POST only
    "maintenance:equipment_export_csv": EstablishmentPage(DIRECTION | {"rrupn"}),
    "maintenance:equipment_export_pdf": EstablishmentPage(DIRECTION | {"rrupn"}),
    "maintenance:equipment_export_pdf_request": EstablishmentPage(DIRECTION | {"rrupn"}, ok=405),
    # Pix certification: every staff member reads the sessions and the classes' readiness
    # (counts only); the direction and the RRUPN plan, change and delete sessions (the sample
    # session of the own school, this year).
    "pix:certification_sessions": EstablishmentPage(ALL_STAFF),
    "pix:certification_readiness": EstablishmentPage(ALL_STAFF),
    "pix:certification_create": EstablishmentPage(PILOTS),
    "pix:certification_edit": EstablishmentPage(PILOTS),
    "pix:certification_delete": EstablishmentPage(PILOTS),  # GET: confirmation
    # Pix campaigns and imports: every staff member sees the school's campaigns (the Pix home
    # page); the direction, the RRUPN and teachers enter campaigns and import Pix Orga exports.
    # An unknown preview token sends back to the upload page.
    "pix:campaigns_list": EstablishmentPage(ALL_STAFF),
    "pix:campaigns_detail": EstablishmentPage(ALL_STAFF),
    "pix:campaigns_create": EstablishmentPage(PILOTS | {"teacher"}),
    "pix:campaigns_edit": EstablishmentPage(PILOTS | {"teacher"}),
    "pix:imports_upload": EstablishmentPage(PILOTS | {"teacher"}),
    "pix:imports_preview": EstablishmentPage(PILOTS | {"teacher"}, ok=302),
    # Pix follow-up: counts and heatmaps for every staff member (pupil names only for the
    # direction, the RRUPN and the class's teachers, checked in tests/pix/test_privacy.py); the
    # CSV of pupils needs a class in the person's scope (the teacher persona teaches none);
    # teaching teams for the direction and the RRUPN. `code`: an unknown class code, empty history.
    "pix:followup_campaign": EstablishmentPage(ALL_STAFF),
    "pix:followup_campaign_export": EstablishmentPage(PILOTS),
    "pix:followup_divisions": EstablishmentPage(ALL_STAFF),
    "pix:followup_division": EstablishmentPage(ALL_STAFF),
    "pix:followup_sixth": EstablishmentPage(ALL_STAFF),
    "pix:followup_teams": EstablishmentPage(PILOTS),
    "pix:followup_team_edit": EstablishmentPage(PILOTS),
    "pix_srane:overview": SranePage(with_uai=False),
    # The SRANE relay: announcements to the RRUPN (the sample one is the 87 SRANE's, to 87)
    "relay:list": EstablishmentPage(frozenset({"rrupn"})),
    "relay:mark_read": EstablishmentPage(frozenset({"rrupn"}), ok=405),  # POST only
    "relay_srane:list": SranePage(with_uai=False),
    "relay_srane:create": SranePage(with_uai=False),
    "relay_srane:detail": SranePage(with_uai=False),
    "relay_srane:edit": SranePage(with_uai=False),
    "relay_srane:archive": SranePage(with_uai=False, ok=405),  # POST only
    "relay_srane:reads_csv": SranePage(with_uai=False),
    "relay_srane:contacts": LOGGED_IN,  # anybody with a role or a SRANE scope
    # allauth: login, logout and the local-account pages (demo and development only)
    "account_login": Fixed(anonymous=200, staff=302),
    "account_logout": Fixed(anonymous=302, staff=200),
    "account_inactive": PUBLIC,
    "account_signup": Fixed(anonymous=200, staff=302),  # "inscriptions fermées"
    "account_reauthenticate": Fixed(anonymous=LOGIN, staff=200),
    # login by code is off: these send back to the password reauthentication
    "account_request_reauthentication_code": Fixed(anonymous=LOGIN, staff=302),
    "account_confirm_reauthentication_code": Fixed(anonymous=LOGIN, staff=302),
    "account_email": Fixed(anonymous=LOGIN, staff=200),
    "account_email_verification_sent": PUBLIC,
    "account_change_password": Fixed(anonymous=LOGIN, staff=200),
    "account_set_password": Fixed(anonymous=LOGIN, staff=302),
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": Fixed(anonymous=302, staff=302),
    "account_confirm_email": Fixed(anonymous=200, staff=200),
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "socialaccount_login_cancelled": PUBLIC,
    "socialaccount_login_error": Fixed(anonymous=401, staff=401),  # allauth's status
    "socialaccount_signup": Fixed(anonymous=302, staff=302),
    "socialaccount_connections": Fixed(anonymous=LOGIN, staff=200),
    # allauth's old addresses, permanent redirects to the new ones
    "accounts/social/login/cancelled/": Fixed(anonymous=LOGIN, staff=301),
    "accounts/social/login/error/": Fixed(anonymous=LOGIN, staff=301),
    "accounts/social/signup/": Fixed(anonymous=LOGIN, staff=301),
    "accounts/social/connections/": Fixed(anonymous=LOGIN, staff=301),
    # SSO endpoints: no provider is configured under test, so they answer "not found".
    "saml_acs": Fixed(anonymous=302, staff=302),  # to the login error page
    "saml_finish_acs": Fixed(anonymous=404, staff=404),
    "saml_sls": Fixed(anonymous=404, staff=404),
    "saml_metadata": Fixed(anonymous=404, staff=404),
    "saml_login": Fixed(anonymous=404, staff=404),
    "proconnect_login": Fixed(anonymous=404, staff=404),
    "proconnect_callback": Fixed(anonymous=404, staff=404),
    # Django admin: every page but its login sends non-staff people to the admin login.
    "admin:*": ADMIN_ONLY,
    "admin:login": Fixed(anonymous=200, staff=200),
}

# Sample values for URL parameters other than `uai` (which follows the relation).
SAMPLE_KWARGS = {
    "key": "cle-inconnue",
    "delivery_id": "1",  # POST-only views: never looked up on GET
    "channel_id": "1",
    "uidb36": "zz",
    "organization_slug": "academie",
    "provider_id": "academie",
    "object_id": "1",
    "app_label": "accounts",
    "content_type_id": "1",
    "id": "1",
    "url": "page-inconnue/",
    "pk": "<the sample letter of the own school>",
    "action": "signer",
    "export_id": "<the sample export of the SRANE département persona>",
    "code": "CODE-INCONNU-0000",
    "member_id": "<a member of the sample commission>",
    "meeting_id": "<a meeting of the sample commission>",
    "action_id": "<an action of the sample commission>",
    "axis_id": "<the sample project axis of the own school>",
    "indicator_id": "<the sample indicator of the own school>",
    "need_id": "<the sample training need of the own school>",
    "training_action_id": "<the sample training action of the own school>",
    "activity_id": "<the sample RGPD register entry of the own school>",
    "purchase_id": "<the sample purchase proposal of the own school>",
    "practice_id": "<the sample remarkable practice of the own school>",
    "equipment_need_id": "<the sample equipment need of the own school>",
    "ticket_id": "<the sample incident of the own school>",
    "attachment_id": "<the sample incident's photo>",
    "session_id": "<the sample Pix certification session of the own school>",
    "campaign_id": "<the sample Pix campaign of the own school>",
    "token": "jeton-inconnu",  # a Pix import preview nobody uploaded
    "designation_id": "1",  # POST-only pages: a GET gets its 405 before any lookup
    "announcement_id": "<the sample announcement of the SRANE département persona>",
}


def entry_for(key: str):
    if key in MATRIX:
        return MATRIX[key]
    if key.startswith("admin:"):
        return MATRIX["admin:*"]
    return None
