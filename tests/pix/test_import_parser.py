"""Reading Pix Orga exports: both samples and hand-made variants of every point of pix.md §1."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pix.imports.parser import PARIS, parse, unescape
from pix.models import CampaignKind

from .factories import assessment_export, pix_csv, profiles_export

SAMPLES = Path(__file__).parent / "samples"
ASSESSMENT_SAMPLE = (SAMPLES / "pix_assessment_export_sample.csv").read_bytes()
PROFILES_SAMPLE = (SAMPLES / "pix_profiles_collection_sample.csv").read_bytes()


def ok(data):
    result = parse(data)
    assert result.errors == []
    return result.export


def errors(data):
    result = parse(data)
    assert result.export is None and result.errors
    return [(e.line, e.column, e.message) for e in result.errors]


def test_assessment_sample():
    export = ok(ASSESSMENT_SAMPLE)
    assert export.kind == CampaignKind.ASSESSMENT
    assert (export.organisation_name, export.pix_id, export.code) == (
        "Collège Exemple des Tilleuls",
        512347,
        "QXTRMB482",
    )
    assert export.campaign_name == "6e - Protection et sécurité - 2025-2026"
    assert export.target_profile == "Parcours 6e Protection et sécurité"
    assert export.stage_count == 3 and export.badge_titles == [] and export.external_id_label == ""
    assert export.competence_codes == ["4.1", "4.2", "4.3"]
    assert export.line_count == 8 and len(export.rows) == 8
    zoe = export.rows[0]
    assert (zoe.last_name, zoe.first_name, zoe.division_code) == ("LAFLEUR", "Zoé", "6A")
    assert zoe.started_at == datetime.datetime(2025, 9, 15, 9, 12, tzinfo=PARIS)
    assert zoe.started_at.astimezone(datetime.UTC).hour == 7  # summer time: UTC+2
    assert zoe.shared and zoe.shared_at == datetime.datetime(2025, 9, 15, 9, 41, tzinfo=PARIS)
    assert zoe.progression == 1 and zoe.stage == 2 and zoe.mastery == Decimal("0.82")
    assert zoe.competences == {
        "4.1": {"mastery": Decimal("1"), "targeted": 4, "validated": 4},
        "4.2": {"mastery": Decimal("0.75"), "targeted": 4, "validated": 3},
        "4.3": {"mastery": Decimal("0.67"), "targeted": 3, "validated": 2},
    }
    assert zoe.domains == {
        "4": {"title": "Protection et sécurité", "mastery": 0.82, "targeted": 11, "validated": 9}
    }
    ines = export.rows[2]  # started, not shared: NA everywhere after the shared date
    assert ines.progression == Decimal("0.455") and not ines.shared
    assert ines.shared_at is None and ines.stage is None and ines.mastery is None
    assert ines.competences == {} and ines.domains == {}
    jade = export.rows[4]  # completed but not shared
    assert jade.progression == 1 and not jade.shared
    sacha = export.rows[5]
    assert sacha.stage == 0 and sacha.competences["4.3"]["mastery"] == 0
    # Shared per class, counted by hand from the sample: 6A 2/3, 6B 2/3, 6C 2/2.
    shared = {}
    for row in export.rows:
        shared.setdefault(row.division_code, []).append(row.shared)
    assert {code: (sum(v), len(v)) for code, v in shared.items()} == {
        "6A": (2, 3),
        "6B": (2, 3),
        "6C": (2, 2),
    }


def test_profiles_sample():
    export = ok(PROFILES_SAMPLE)
    assert export.kind == CampaignKind.PROFILES
    assert (export.pix_id, export.code, export.target_profile) == (498211, "LKZWNP317", "")
    assert len(export.competence_codes) == 16 and len(export.rows) == 8
    theo = export.rows[0]
    assert theo.shared and theo.total_pix == 294 and theo.certifiable is True
    assert theo.certifiable_competences == 16 and theo.progression is None
    assert theo.competences["1.1"] == {"level": 3, "pix": 27}
    assert theo.competences["3.2"] == {"level": 1, "pix": 14}  # "multimedia", no accent
    assert sum(c["pix"] for c in theo.competences.values()) == 294
    milo = export.rows[2]
    assert not milo.shared and milo.total_pix is None and milo.certifiable is None
    assert milo.competences == {}
    anais = export.rows[3]
    assert anais.certifiable is False and anais.certifiable_competences == 3
    manon = export.rows[7]
    assert manon.last_name == "HÉBRARD"
    # Sent and certifiable per class, by hand: 3A 3 sent / 2 certifiable, 3B 3 / 3.
    by_class = {}
    for row in export.rows:
        cell = by_class.setdefault(row.division_code, [0, 0])
        cell[0] += row.shared
        cell[1] += bool(row.certifiable)
    assert by_class == {"3A": [3, 2], "3B": [3, 3]}


def test_without_bom_and_with_crlf():
    assert len(ok(ASSESSMENT_SAMPLE.removeprefix(b"\xef\xbb\xbf")).rows) == 8
    assert len(ok(PROFILES_SAMPLE.replace(b"\n", b"\r\n")).rows) == 8


def test_quoted_strings_doubled_quotes_and_digit_only_class():
    data = assessment_export(
        [{"last": 'O"CONNOR', "first": "Jean; Paul", "division": "601"}],
        campaign={"name": 'Campagne "sécurité"'},
    )
    assert b";601;" in data  # digit-only: written bare
    export = ok(data)
    row = export.rows[0]
    assert (row.last_name, row.first_name, row.division_code) == ('O"CONNOR', "Jean; Paul", "601")
    assert export.campaign_name == 'Campagne "sécurité"'


def test_formula_escaped_strings():
    assert unescape("'-Dupont") == "-Dupont" and unescape("'=1+1") == "=1+1"
    assert unescape("'Ambroise") == "'Ambroise" and unescape("'") == "'"
    data = assessment_export(
        [{"last": "-TIRET", "first": "@lice", "external_id": "+33 6"}],
        external_id_label="-Mon mail pro",
    )
    assert b'"\'-TIRET"' in data
    export = ok(data)
    assert export.external_id_label == "-Mon mail pro"
    row = export.rows[0]
    assert (row.last_name, row.first_name, row.external_id) == ("-TIRET", "@lice", "+33 6")


def test_external_id_with_a_teacher_chosen_label():
    export = ok(
        assessment_export(
            [{"last": "A", "first": "B", "external_id": "ent-4521"}],
            external_id_label="Identifiant ENT",
        )
    )
    assert export.external_id_label == "Identifiant ENT"
    assert export.rows[0].external_id == "ent-4521"
    export = ok(
        profiles_export(
            [{"last": "A", "first": "B", "external_id": "12345"}], external_id_label="N° élève"
        )
    )
    assert export.rows[0].external_id == "12345"


def test_decimal_comma_and_ratios():
    export = ok(
        assessment_export(
            [
                {
                    "last": "A",
                    "first": "B",
                    "mastery": 0.455,
                    "results": {"4.1": (0.33, 3, 1), "4.2": (1, 4, 4), "4.3": (0, 3, 0)},
                }
            ]
        )
    )
    row = export.rows[0]
    assert row.mastery == Decimal("0.455")
    assert [row.competences[c]["mastery"] for c in ("4.1", "4.2", "4.3")] == [
        Decimal("0.33"),
        1,
        0,
    ]


def test_badges_and_stages():
    export = ok(
        assessment_export(
            [
                {"last": "A", "first": "B", "stage": 4, "badges": {"Cyber-harcèlement": True}},
                {"last": "C", "first": "D", "shared": False, "progression": 0.2},
            ],
            badges=["Cyber-harcèlement", "Mots de passe"],
            stage_count=4,
        )
    )
    assert export.badge_titles == ["Cyber-harcèlement", "Mots de passe"]
    assert export.stage_count == 4
    assert export.rows[0].badges == {"Cyber-harcèlement": True, "Mots de passe": False}
    assert export.rows[0].stage == 4
    assert export.rows[1].badges == {"Cyber-harcèlement": None, "Mots de passe": None}


def test_no_stage_column_and_exam_campaign_without_progression():
    export = ok(assessment_export([{"last": "A", "first": "B"}], stage_count=0, progression=False))
    assert export.stage_count is None and export.rows[0].stage is None
    assert export.rows[0].progression is None and export.rows[0].shared


def test_older_header_names_and_no_code_column():
    export = ok(assessment_export([{"last": "A", "first": "B"}], old_headers=True, with_code=False))
    assert export.code == "" and export.target_profile == "Parcours 6e Protection et sécurité"
    assert export.rows[0].started_at == datetime.datetime(2025, 9, 15, 9, 12, tzinfo=PARIS)
    export = ok(
        profiles_export([{"last": "A", "first": "B", "sent_at": "2019-03-01"}], old_headers=True)
    )
    assert export.rows[0].shared_at == datetime.datetime(2019, 3, 1, tzinfo=datetime.UTC)


def test_straight_apostrophes_in_competence_names():
    data = ASSESSMENT_SAMPLE.decode("utf-8-sig").replace("’", "'").encode()
    assert ok(data).competence_codes == ["4.1", "4.2", "4.3"]
    data = PROFILES_SAMPLE.decode("utf-8-sig").replace("’", "'").encode()
    assert ok(data).rows[0].competences["2.4"] == {"level": 2, "pix": 21}


def test_sup_columns_and_skill_columns_are_tolerated():
    header, *lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").splitlines()
    cut = header.index('"% de progression"')
    header = header[:cut] + '"Groupe";"Numéro Étudiant";' + header[cut:] + ';"@web1";"@mdp2"'
    rows = []
    for line in lines:
        cut = line.index(";", line.index('"6'))  # after the class
        rows.append(line[: cut + 1] + '"G1";12345;' + line[cut + 1 :] + ';"OK";"Non testé"')
    export = ok("\n".join([header, *rows]).encode())
    assert len(export.rows) == 8 and export.external_id_label == ""
    assert export.rows[0].competences["4.1"]["validated"] == 4


def test_several_rows_per_pupil_keep_the_latest_send():
    data = profiles_export(
        [
            {
                "last": "DUPONT",
                "first": "Léa",
                "sent_at": "02/10/2025 10:00",
                "levels": {"1.1": (1, 8)},
            },
            {
                "last": "DUPONT",
                "first": "Léa",
                "sent_at": "20/01/2026 14:00",
                "levels": {"1.1": (3, 25)},
            },
            {
                "last": "Dupont",
                "first": "LÉA",
                "sent_at": "03/11/2025 10:00",
                "levels": {"1.1": (2, 16)},
            },
            {"last": "DUPONT", "first": "Léa", "sent": False},  # a new attempt, not sent yet
            {"last": "MARTIN", "first": "Hugo", "sent": False},
            {"last": "MARTIN", "first": "Hugo", "division": "3B"},  # another pupil (class)
        ]
    )
    export = ok(data)
    assert export.line_count == 6 and export.duplicates == 3
    assert len(export.rows) == 3
    lea = export.rows[0]
    assert lea.line == 3 and lea.competences["1.1"] == {"level": 3, "pix": 25}
    assessment = assessment_export(
        [
            {
                "last": "A",
                "first": "B",
                "shared": False,
                "progression": 0.3,
                "started": "01/09/2025 08:00",
            },
            {
                "last": "A",
                "first": "B",
                "shared": False,
                "progression": 0.6,
                "started": "08/09/2025 08:00",
            },
        ]
    )
    (row,) = ok(assessment).rows
    assert row.progression == Decimal("0.6")


def test_detects_the_type_from_the_headers():
    assert ok(assessment_export([{"last": "A", "first": "B"}])).kind == CampaignKind.ASSESSMENT
    assert ok(profiles_export([{"last": "A", "first": "B"}])).kind == CampaignKind.PROFILES


# --- Refused files: every error, with its line and column -----------------------------------


def test_not_a_pix_export():
    gar = b"\xef\xbb\xbfidAbonnement;idRessource;debutValidite\nA1;ark:/1;01/09/2025\n"
    found = errors(gar)
    assert found[0][0] == 1 and "n'est pas un export de résultats" in found[0][2]
    assert (1, "Nom de l'organisation", "colonne obligatoire absente") in found
    assert (1, "Partage (O/N) / Envoi (O/N)", "colonne obligatoire absente") in found
    assert errors(b"")[0][2].startswith("ce fichier n'est pas un export")
    assert "UTF-8" in errors("Nom;Prénom\néèà;x\n".encode("latin-1"))[0][2]
    header_only = ASSESSMENT_SAMPLE.splitlines()[0] + b"\n"
    assert errors(header_only) == [
        (2, "(ligne entière)", "le fichier ne contient aucun participant")
    ]


def test_missing_required_column_and_unknown_competence():
    data = ASSESSMENT_SAMPLE.decode("utf-8-sig")
    header, rest = data.split("\n", 1)
    broken = header.replace('"Partage (O/N)";', '"Partage (O/N)";').replace(
        '"% maitrise de l\'ensemble des acquis du profil"', '"% maîtrise globale"'
    )
    found = errors((broken + "\n" + rest).encode())
    assert (
        1,
        "% maitrise de l'ensemble des acquis du profil",
        "colonne obligatoire absente",
    ) in found
    assert (1, "% maîtrise globale", "colonne inconnue dans un export Pix Orga") in found
    unknown = header.replace("Sécuriser l’environnement numérique", "Sécuriser son ordinateur")
    found = errors((unknown + "\n" + rest).encode())
    assert (
        1,
        "% de maitrise des acquis de la compétence Sécuriser son ordinateur",
        "compétence inconnue du CRCN",
    ) in found


def test_wrong_column_count_bad_numbers_ratios_and_dates_all_listed():
    lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").split("\n")
    lines[2] = lines[2].replace(";0,55;0,75;4;3;", ";0,55;0,75;4;3;1;")  # one column too many
    lines[3] = lines[3].replace('"15/09/2025 09:15"', '"31/02/2025 09:15"')  # no such day
    lines[4] = lines[4].replace(";1;4;4;1;4;4;", ";1,5;4;4;1;quatre;4;")  # ratio > 1, text
    lines[5] = lines[5].replace('"18/09/2025 14:03"', '"2025/09/18"')
    lines[6] = lines[6].replace('"Oui";"22/09/2025', '"Peut-être";"22/09/2025')
    found = errors("\n".join(lines).encode())
    assert found == [
        (3, "(ligne entière)", "27 colonnes au lieu de 26 (celles de l'en-tête)"),
        (
            4,
            "Date et heure de début (Europe/Paris)",
            "« 31/02/2025 09:15 » n'est pas une date qui existe",
        ),
        (
            5,
            "% de maitrise des acquis de la compétence Sécuriser l’environnement numérique",
            "« 1,5 » n'est pas une proportion entre 0 et 1",
        ),
        (
            5,
            "Nombre d'acquis du profil cible dans la compétence Protéger les données personnelles et la vie privée",
            "« quatre » n'est pas un nombre entier",
        ),
        (
            6,
            "Date et heure de début (Europe/Paris)",
            "« 2025/09/18 » n'est pas une date au format JJ/MM/AAAA HH:MM",
        ),
        (7, "Partage (O/N)", "« Peut-être » : « Oui » ou « Non » attendu"),
    ]


def test_profiles_bad_values():
    lines = PROFILES_SAMPLE.decode("utf-8-sig").split("\n")
    lines[1] = lines[1].replace(";294;", ";2940;")  # more than 1024 pix
    lines[2] = lines[2].replace(';"Oui";12;2;19;', ';"Oui";12;9;19;')  # level 9
    lines[5] = lines[5].replace(';"Oui";"06/10/2025 08:57";', ';"Oui";"NA";')
    found = errors("\n".join(lines).encode())
    assert (2, "Nombre de pix total", "2940 dépasse le maximum possible (1024)") in found
    assert (
        3,
        "Niveau pour la compétence Mener une recherche et une veille d’information",
        "9 dépasse le maximum possible (8)",
    ) in found
    assert (
        6,
        "Date et heure de l'envoi (Europe/Paris)",
        "date de l'envoi absente alors que le profil est envoyé",
    ) in found


def test_a_file_mixing_campaigns_and_a_bad_code():
    data = assessment_export(
        [{"last": "A", "first": "B"}, {"last": "C", "first": "D"}], campaign={"code": "ABC12"}
    )
    found = errors(data)
    assert (2, "Code", "« ABC12 » n'est pas un code de campagne (6 lettres, 3 chiffres)") in found
    lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").split("\n")
    lines[5] = lines[5].replace("512347", "512348")
    found = errors("\n".join(lines).encode())
    assert found[0][:2] == (6, "ID Campagne") and "ne porte qu'une campagne" in found[0][2]


def test_empty_name_is_refused():
    found = errors(pix_csv(*_one_row_profiles(last="")))
    assert (2, "Nom du Participant", "valeur vide") in found


def _one_row_profiles(last):
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Classe",
        "Envoi (O/N)",
        "Date et heure de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    return header, [
        ["Org", 1, "ABCDEF123", "Collecte", last, "Prénom", "3A", False, None, None, None, None]
    ]


@pytest.mark.parametrize("value", ["0,5", "abc", "-1"])
def test_progression_must_be_a_ratio(value):
    lines = ASSESSMENT_SAMPLE.decode("utf-8-sig").split("\n")
    lines[3] = lines[3].replace(";0,455;", f";{value};")
    if value == "0,5":
        assert ok("\n".join(lines).encode()).rows[2].progression == Decimal("0.5")
    else:
        assert errors("\n".join(lines).encode())[0][:2] == (4, "% de progression")
