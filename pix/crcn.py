"""The CRCN (cadre de référence des compétences numériques) as Pix encodes it (formats/pix.md §2).

Titles are exactly Pix's: typographic apostrophes (U+2019) in 1.1, 2.4, 4.1 and 4.3, and
"multimedia" without an accent in 3.2. Export headers are matched on these names.
"""

LEVELS = 8  # levels 1–8 of the framework
PIX_PER_LEVEL = 8
COMPETENCE_COUNT = 16
MAX_PIX = LEVELS * PIX_PER_LEVEL * COMPETENCE_COUNT  # 1024
# Certifiable: at least 5 competences at level 1 or more (Pix constants).
CERTIFIABLE_MIN_COMPETENCES = 5
CERTIFIABLE_MIN_LEVEL = 1

DOMAINS = [
    (1, "Information et données"),
    (2, "Communication et collaboration"),
    (3, "Création de contenu"),
    (4, "Protection et sécurité"),
    (5, "Environnement numérique"),
]

COMPETENCES = [
    ("1.1", "Mener une recherche et une veille d’information"),
    ("1.2", "Gérer des données"),
    ("1.3", "Traiter des données"),
    ("2.1", "Interagir"),
    ("2.2", "Partager et publier"),
    ("2.3", "Collaborer"),
    ("2.4", "S’insérer dans le monde numérique"),
    ("3.1", "Développer des documents textuels"),
    ("3.2", "Développer des documents multimedia"),
    ("3.3", "Adapter les documents à leur finalité"),
    ("3.4", "Programmer"),
    ("4.1", "Sécuriser l’environnement numérique"),
    ("4.2", "Protéger les données personnelles et la vie privée"),
    ("4.3", "Protéger la santé, le bien-être et l’environnement"),
    ("5.1", "Résoudre des problèmes techniques"),
    ("5.2", "Construire un environnement numérique"),
]

# Certification v3 global levels: cumulative pix bands (formats/pix.md §2.2).
SCORE_BANDS = [
    ("pre", "Pré-novice", 0, 63),
    ("novice1", "Novice 1", 64, 127),
    ("novice2", "Novice 2", 128, 255),
    ("independant1", "Indépendant 1", 256, 383),
    ("independant2", "Indépendant 2", 384, 511),
    ("avance1", "Avancé 1", 512, 639),
    ("avance2", "Avancé 2", 640, 767),
    ("expert1", "Expert 1", 768, 895),
    ("expert2", "Expert 2", 896, 1023),
]


def band_for(score: int) -> str:
    for key, _label, low, high in SCORE_BANDS:
        if low <= score <= high:
            return key
    raise ValueError(f"Score Pix hors bornes : {score}")
