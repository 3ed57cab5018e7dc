"""Written for the tests: the same stories as several outlets carry them, and other stories on the
same subjects that must stay apart.

Each story's versions follow what feeds really do with one piece of news: an agency dispatch
reprinted under another headline, a local paper's rewrite of the lead, a shortened summary.
"""

# story name -> [(outlet, title, summary)]
SAME_STORY = {
    "metro": [
        (
            "La Dépêche",
            "Toulouse : la troisième ligne de métro ouvrira en 2028",
            "La troisième ligne du métro toulousain, longue de 27 kilomètres, reliera Colomiers à "
            "Labège. Tisséo a confirmé mardi un calendrier de mise en service pour la fin de "
            "l'année 2028, malgré un surcoût de 400 millions d'euros.",
        ),
        (
            "Actu Toulouse",
            "Métro : la 3e ligne toulousaine mise en service fin 2028",
            "La troisième ligne du métro toulousain, longue de 27 kilomètres, reliera Colomiers à "
            "Labège. Tisséo a confirmé mardi un calendrier de mise en service pour la fin de "
            "l'année 2028, malgré un surcoût de 400 millions d'euros.",
        ),
        (
            "France 3 Occitanie",
            "Toulouse. Troisième ligne de métro : Tisséo confirme 2028",
            "La troisième ligne du métro toulousain, longue de 27 km, reliera Colomiers à Labège. "
            "Tisséo a confirmé ce mardi un calendrier de mise en service pour fin 2028, malgré un "
            "surcoût de 400 millions d'euros.",
        ),
    ],
    "mastodon": [
        (
            "Reuters",
            "Mastodon passes 10 million accounts as users leave X",
            "The decentralized social network Mastodon has passed 10 million registered accounts, "
            "its founder Eugen Rochko said on Monday, as users continue to leave X after changes "
            "to its moderation policy.",
        ),
        (
            "The Verge",
            "Mastodon Tops 10 Million Users Amid Exodus From X",
            "The decentralized social network Mastodon has passed 10 million registered accounts, "
            "its founder Eugen Rochko said on Monday, as users continue to leave X after changes "
            "to its moderation policy.",
        ),
        (
            "Engadget",
            "Decentralized network Mastodon reaches 10M accounts",
            "The decentralised social network Mastodon has passed 10 million registered accounts, "
            "founder Eugen Rochko said Monday, as users keep leaving X after changes to its "
            "moderation policy.",
        ),
    ],
    "linkedin": [
        (
            "BFM Tech",
            "LinkedIn lance un fil d'actualité vidéo en France",
            "Le réseau social professionnel LinkedIn déploie à partir de jeudi un fil de vidéos "
            "courtes pour ses 30 millions de membres français, sur le modèle de TikTok.",
        ),
        (
            "Le Figaro",
            "LinkedIn se met à la vidéo courte façon TikTok",
            "Le réseau social professionnel LinkedIn déploie à partir de jeudi un fil de vidéos "
            "courtes pour ses 30 millions de membres français, sur le modèle de TikTok.",
        ),
        (
            "Numerama",
            "LinkedIn copie TikTok avec un fil de vidéos courtes",
            "Le réseau social professionnel LinkedIn déploie dès jeudi un fil de vidéos courtes "
            "pour ses 30 millions de membres en France, sur le modèle de TikTok.",
        ),
    ],
    "meetup": [
        (
            "Actu Toulouse",
            "Toulouse : 800 professionnels attendus à la Nuit des Réseaux",
            "La Nuit des Réseaux revient le 14 mars au Centre des congrès Pierre-Baudis. Quelque "
            "800 entrepreneurs, cadres et associations toulousaines sont attendus pour cette "
            "soirée de réseautage organisée par la CCI de Toulouse.",
        ),
        (
            "La Tribune Toulouse",
            "Nuit des Réseaux 2025 : la CCI attend 800 participants le 14 mars",
            "La Nuit des Réseaux revient le 14 mars au Centre des congrès Pierre-Baudis : quelque "
            "800 entrepreneurs, cadres et associations toulousaines sont attendus à cette soirée "
            "de réseautage organisée par la CCI de Toulouse.",
        ),
        (
            "Touleco",
            "Réseautage : la Nuit des Réseaux revient le 14 mars à Pierre-Baudis",
            "Quelque 800 entrepreneurs, cadres et associations toulousaines sont attendus le 14 "
            "mars au Centre des congrès Pierre-Baudis pour la Nuit des Réseaux, la soirée de "
            "réseautage de la CCI de Toulouse.",
        ),
    ],
    "threads": [
        (
            "TechCrunch",
            "Meta's Threads now lets users in the EU post to the fediverse",
            "Meta said on Wednesday that Threads users in the European Union can now share their "
            "posts to Mastodon and other fediverse servers, a feature it had launched in the "
            "United States last year.",
        ),
        (
            "Engadget",
            "Threads opens fediverse sharing to European users",
            "Meta said Wednesday that Threads users in the European Union can now share their "
            "posts to Mastodon and other fediverse servers, a feature launched in the United "
            "States last year.",
        ),
    ],
    "airbus": [
        (
            "La Dépêche",
            "Airbus recrute 1 200 personnes en Occitanie cette année",
            "L'avionneur Airbus prévoit d'embaucher 1 200 salariés en Occitanie en 2025, dont 800 "
            "ingénieurs à Toulouse et Blagnac, a annoncé sa direction des ressources humaines "
            "jeudi.",
        ),
        (
            "Actu Toulouse",
            "Emploi : Airbus va embaucher 1200 salariés en Occitanie en 2025",
            "L'avionneur Airbus prévoit d'embaucher 1 200 salariés en Occitanie en 2025, dont 800 "
            "ingénieurs à Toulouse et Blagnac, a annoncé jeudi sa direction des ressources "
            "humaines.",
        ),
    ],
}

# Stories on the same subjects as above that are different news: they must each keep their card.
OTHER_STORIES = [
    (
        "La Dépêche",
        "Toulouse : un nouveau réseau social pour les commerçants du centre-ville",
        "Une application lancée par la CCI de Toulouse veut mettre en relation les commerçants du "
        "centre-ville et leurs clients. Elle compte déjà 300 inscrits.",
    ),
    (
        "Actu Toulouse",
        "Toulouse : la ligne de tramway Envol ouvrira en 2026",
        "La ligne de tramway reliant l'aéroport de Blagnac au centre de Toulouse sera mise en "
        "service en 2026, a annoncé Tisséo mardi.",
    ),
    (
        "The Verge",
        "Mastodon adds quote posts after years of debate",
        "The decentralized social network Mastodon is adding quote posts, a feature long requested "
        "by users, with controls that let people refuse to be quoted.",
    ),
    (
        "BFM Tech",
        "LinkedIn supprime 700 emplois dans le monde",
        "Le réseau social professionnel LinkedIn va supprimer 700 postes, principalement dans ses "
        "équipes d'ingénierie, a annoncé l'entreprise lundi.",
    ),
    (
        "Reuters",
        "Bluesky passes 20 million users",
        "The decentralized social network Bluesky has passed 20 million registered accounts, the "
        "company said on Monday, as users continue to leave X.",
    ),
    (
        "La Tribune Toulouse",
        "La CCI de Toulouse lance des petits-déjeuners de réseautage mensuels",
        "Chaque premier mardi du mois, la CCI de Toulouse réunira une cinquantaine de dirigeants "
        "de PME pour un petit-déjeuner de réseautage dans ses locaux de la rue d'Alsace-Lorraine.",
    ),
    (
        "Touleco",
        "Airbus ouvre un centre d'innovation numérique à Blagnac",
        "Airbus a inauguré jeudi à Blagnac un centre consacré à l'intelligence artificielle et aux "
        "données, qui accueillera 150 ingénieurs d'ici 2026.",
    ),
    (
        "Numerama",
        "TikTok teste des vidéos de 60 minutes",
        "Le réseau social TikTok teste auprès de quelques utilisateurs la publication de vidéos "
        "pouvant durer jusqu'à une heure, pour concurrencer YouTube.",
    ),
    (
        "Engadget",
        "Threads is testing a private feed for close friends",
        "Meta is testing a feature that lets Threads users share posts with a list of close "
        "friends only, the company confirmed on Tuesday.",
    ),
    (
        "20 Minutes",
        "Toulouse : le métro fermé ce dimanche pour travaux",
        "Les lignes A et B du métro toulousain seront fermées dimanche toute la journée pour des "
        "travaux de maintenance. Des bus de substitution seront mis en place par Tisséo.",
    ),
]

# Beyond near-duplicate detection: the same news with its lead rewritten (8 and 9 bits from the
# versions above). It gets a card of its own (docs/suggestions.md).
REWRITTEN = [
    (
        "20 Minutes",
        "La troisième ligne du métro de Toulouse ouvrira fin 2028",
        "Tisséo a confirmé mardi que la troisième ligne du métro toulousain, longue de 27 "
        "kilomètres entre Colomiers et Labège, sera mise en service fin 2028, malgré un surcoût "
        "de 400 millions d'euros.",
    ),
]
