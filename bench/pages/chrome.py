"""The parts of a web page around an article: menus, cookie banners, comments, related links,
newsletter boxes, inline CSS and scripts. make_pages.py wraps articles in them so that the benchmark
pages weigh and look like real ones (most of a news page's bytes are not the article).
"""

import json
import random
import zlib
from html import escape

COOKIE = {
    "fr": (
        "Nous utilisons des cookies pour mesurer l'audience et vous proposer des contenus adaptés. "
        "Vous pouvez accepter, refuser ou paramétrer vos choix à tout moment."
    ),
    "en": (
        "We use cookies to measure our audience and show you relevant content. You can accept, "
        "refuse or change your choices at any time."
    ),
}
NEWSLETTER = {
    "fr": "Recevez chaque matin l'essentiel de l'actualité locale dans votre boîte mail.",
    "en": "Get the day's essential local news in your inbox every morning.",
}
COMMENTS = {
    "fr": [
        (
            "Georges B.",
            "Enfin une bonne nouvelle, on attendait ça depuis des années dans le quartier.",
        ),
        ("Mireille", "Je ne suis pas d'accord avec la conclusion, il manque l'avis des riverains."),
        ("Karim T.", "Quelqu'un sait si c'est accessible en fauteuil roulant ? Merci d'avance."),
        ("Lucie", "Article très clair, merci. J'ai partagé avec mon association."),
        ("Jean-Paul", "Encore de l'argent public dépensé sans concertation, comme d'habitude."),
        ("Inès", "J'y étais samedi, l'ambiance était vraiment chaleureuse."),
    ],
    "en": [
        (
            "Dave from Hull",
            "About time. We have been asking for this for the best part of a decade.",
        ),
        ("Sarah K", "Interesting piece, but it would be good to hear from people who disagree."),
        ("tom_w", "Does anyone know whether there is step-free access? Thanks in advance."),
        ("Helen", "Really clear write-up, thank you. Shared it with our residents' group."),
        ("Marcus", "More public money spent without asking anyone, as usual."),
        ("Priya", "I went on Saturday and the atmosphere was genuinely lovely."),
    ],
}
MENU = {
    "fr": "Accueil Actualités Toulouse Métropole Occitanie Économie Politique Société Sports Rugby "
    "Football Culture Sorties Cinéma Musique Livres Environnement Santé Éducation Emploi "
    "Immobilier Transports Faits-divers Justice Météo Services Annonces Nécrologie Jeux Podcasts "
    "Vidéos",
    "en": "Home News Local National World Business Politics Education Health Sport Football Rugby "
    "Cricket Culture Music Film Books Environment Science Technology Property Jobs Travel Food "
    "Opinion Letters Obituaries Puzzles Podcasts Video Weather",
}
FOOTER = {
    "fr": "Mentions légales|Politique de confidentialité|Gestion des cookies|Contact|Publicité|"
    "Plan du site|Accessibilité : partiellement conforme|CGU|Qui sommes-nous ?|Nous rejoindre",
    "en": "Terms of use|Privacy policy|Cookie settings|Contact us|Advertise|Site map|"
    "Accessibility statement|Complaints|About us|Work for us",
}
LABELS = {
    "fr": {
        "related": "À lire aussi",
        "most_read": "Les plus lus",
        "comments": "Commentaires",
        "reply": "Répondre",
        "share": "Partager",
        "subscribe": "S'inscrire",
        "accept": "Tout accepter",
        "refuse": "Continuer sans accepter",
        "published": "Publié le",
        "by": "Par",
    },
    "en": {
        "related": "Read more",
        "most_read": "Most read",
        "comments": "Comments",
        "reply": "Reply",
        "share": "Share",
        "subscribe": "Sign up",
        "accept": "Accept all",
        "refuse": "Reject all",
        "published": "Published",
        "by": "By",
    },
}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}
SVG_ICON = (
    '<svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path d="M18 2h-3a5 5 0 0 '
    '0-5 5v3H7v4h3v8h4v-8h3l1-4h-4V7a1 1 0 0 1 1-1h3z"/></svg>'
)


def t(text: str) -> str:
    return escape(text, quote=False)


def a(text: str) -> str:
    return escape(text, quote=True)


def human_date(iso: str, lang: str) -> str:
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    name = MONTHS[lang].split()[month - 1]
    return f"{day} {name} {year}" if lang == "fr" else f"{name} {day}, {year}"


def inline_css(rng: random.Random, rules: int) -> str:
    selectors = ["header", "nav", ".menu", ".btn", ".card", ".grid", "footer", ".ad", ".teaser"]
    lines = []
    for i in range(rules):
        sel = f"{rng.choice(selectors)} .c{i:03d}"
        lines.append(
            f"{sel}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px "
            f"{rng.randint(0, 32)}px;color:#{rng.randint(0, 0xFFFFFF):06x};"
            f"font-size:{rng.choice([12, 14, 16, 18, 20])}px}}"
        )
    return "<style>" + "\n".join(lines) + "</style>"


def analytics_script(site: str) -> str:
    return (
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        f"gtag('js',new Date());gtag('config','G-{zlib.crc32(site.encode()) % 10**8:08d}');"
        "(function(w,d,s){var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;"
        "j.src='https://tags.example-analytics.com/tag.js';f.parentNode.insertBefore(j,f);})"
        "(window,document,'script');</script>"
    )


def state_blob(rng: random.Random, name: str, article: dict, size: int) -> str:
    """A client-side state dump like the ones single-page frameworks embed (tens of kilobytes)."""
    items = []
    while len(json.dumps(items)) < size:
        items.append(
            {
                "id": f"{rng.getrandbits(48):012x}",
                "__typename": rng.choice(["Post", "User", "Collection", "Tag"]),
                "title": article["title"][: rng.randint(10, 60)],
                "clapCount": rng.randint(0, 5000),
                "previewImage": {"id": f"1*{rng.getrandbits(64):016x}.jpeg"},
            }
        )
    payload = json.dumps({"apollo": items, "config": {"locale": article["lang"]}})
    payload = payload.replace("</", "<\\/")
    return f"<script>window.{name} = {payload}</script>"


def mega_menu(lang: str, host: str) -> str:
    links = "".join(
        f'<li class="menu-item"><a href="https://{host}/{word.lower()}/">{t(word)}</a>'
        f'<ul class="sub-menu"><li><a href="https://{host}/{word.lower()}/une/">{t(word)} — '
        f"{'à la une' if lang == 'fr' else 'top stories'}</a></li></ul></li>"
        for word in MENU[lang].split()
    )
    return f'<nav class="main-navigation" role="navigation"><ul class="menu">{links}</ul></nav>'


def cookie_banner(lang: str) -> str:
    labels = LABELS[lang]
    return (
        '<div id="didomi-host" class="cookie-banner" role="dialog"><div class="cookie-notice">'
        f"<p>{t(COOKIE[lang])}</p><button>{labels['accept']}</button>"
        f"<button>{labels['refuse']}</button></div></div>"
    )


def newsletter_box(lang: str) -> str:
    return (
        '<aside class="newsletter-signup"><h3>Newsletter</h3>'
        f"<p>{t(NEWSLETTER[lang])}</p><form><input type='email' name='email'>"
        f"<button>{LABELS[lang]['subscribe']}</button></form></aside>"
    )


def comment_list(lang: str, rng: random.Random, count: int, css: str = "comment") -> str:
    picked = rng.sample(COMMENTS[lang], count)
    items = "".join(
        f'<li class="{css}" id="{css}-{rng.randint(1000, 99999)}"><div class="{css}-author">'
        f'<img class="avatar avatar-48" src="/wp-content/avatars/{i}.png" width="48" height="48">'
        f'<cite>{t(name)}</cite></div><div class="{css}-content"><p>{t(body)}</p></div>'
        f'<a class="{css}-reply-link" href="#">{LABELS[lang]["reply"]}</a></li>'
        for i, (name, body) in enumerate(picked)
    )
    return (
        f'<section id="comments" class="comments-area"><h2>{LABELS[lang]["comments"]} '
        f'({count})</h2><ol class="comment-list">{items}</ol></section>'
    )


def related_links(lang: str, host: str, others: list[dict], heading: str = "related") -> str:
    items = "".join(
        f'<li><a href="https://{host}/{o["id"]}/"><img src="https://{host}/thumbs/{o["id"]}.jpg" '
        f'width="120" height="80" alt="">{t(o["title"])}</a></li>'
        for o in others
    )
    return (
        f'<section class="related-posts"><h3>{LABELS[lang][heading]}</h3><ul>{items}</ul></section>'
    )


def share_bar(lang: str) -> str:
    buttons = "".join(
        f'<a class="share-{net}" href="https://{net}.example/share">{SVG_ICON}'
        f'<span class="screen-reader-text">{LABELS[lang]["share"]}</span></a>'
        for net in ("facebook", "x", "linkedin", "mastodon", "whatsapp")
    )
    return f'<div class="share-buttons">{buttons}</div>'


def site_footer(lang: str, host: str, site: str) -> str:
    links = "".join(
        f'<li><a href="https://{host}/p/{i}">{t(label)}</a></li>'
        for i, label in enumerate(FOOTER[lang].split("|"))
    )
    return (
        f'<footer class="site-footer"><ul class="footer-links">{links}</ul>'
        f"<p>© 2024 {t(site)}. "
        f"{'Tous droits réservés.' if lang == 'fr' else 'All rights reserved.'}</p></footer>"
    )


def paragraphs_html(article: dict, limit: int | None = None, p_attrs: str = "") -> str:
    blocks = article["paragraphs"][:limit] if limit else article["paragraphs"]
    out = []
    for block in blocks:
        if block.startswith("## "):
            out.append(f"<h2>{t(block[3:])}</h2>")
        else:
            out.append(f"<p{p_attrs}>{t(block)}</p>")
    return "\n".join(out)
