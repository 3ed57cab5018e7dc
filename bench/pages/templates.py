"""Page templates imitating common publishing systems; each takes an article and returns the page
with what a reader would expect capture to find in it (see make_pages.py)."""

# ruff: noqa: E501 -- these are HTML pages written as f-strings; cutting them further hides the markup.

import json
import random
from urllib.parse import urljoin

from chrome import (
    COMMENTS,
    COOKIE,
    LABELS,
    NEWSLETTER,
    a,
    analytics_script,
    comment_list,
    cookie_banner,
    human_date,
    inline_css,
    mega_menu,
    newsletter_box,
    paragraphs_html,
    related_links,
    share_bar,
    site_footer,
    state_blob,
    t,
)


def slug(article: dict) -> str:
    return article["id"].split("-", 1)[1]


def doc(lang: str, head: str, body: str, html_attrs: str = "", doctype: str = "<!DOCTYPE html>"):
    return (
        f'{doctype}\n<html lang="{lang}"{html_attrs}>\n<head>\n{head}\n</head>\n{body}\n</html>\n'
    )


def meta_tags(article: dict, url: str, image: str, *, og=True, twitter=True, kind="article"):
    tags = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="description" content="{a(article["description"])}">',
    ]
    if og:
        tags += [
            f'<meta property="og:type" content="{kind}">',
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:description" content="{a(article["description"])}">',
            f'<meta property="og:url" content="{a(url)}">',
            f'<meta property="og:site_name" content="{a(article["site"])}">',
            f'<meta property="og:locale" content="{article["lang"]}_{article["lang"].upper()}">',
        ]
        if image:
            tags += [
                f'<meta property="og:image" content="{a(image)}">',
                '<meta property="og:image:width" content="1200">',
                '<meta property="og:image:height" content="630">',
            ]
        if article["date"]:
            tags.append(f'<meta property="article:published_time" content="{article["date"]}">')
        tags += [f'<meta property="article:tag" content="{a(tag)}">' for tag in article["tags"]]
    if twitter:
        tags += [
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:title" content="{a(article["title"])}">',
        ]
        if image:
            tags.append(f'<meta name="twitter:image" content="{a(image)}">')
    return "\n".join(tags)


def article_jsonld(article: dict, url: str, image: str, rng: random.Random, **extra) -> str:
    image_value = rng.choice(
        [image, [image], {"@type": "ImageObject", "url": image, "width": 1200, "height": 675}]
    )
    data = {
        "@context": "https://schema.org",
        "@type": extra.pop("type", "NewsArticle"),
        "headline": article["title"],
        "description": article["description"],
        "datePublished": article["date"],
        "dateModified": article["date"],
        "author": rng.choice([{"@type": "Person", "name": article["author"]}, article["author"]]),
        "publisher": {
            "@type": "Organization",
            "name": article["site"],
            "logo": {"@type": "ImageObject", "url": f"https://{article['host']}/logo.png"},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "keywords": article["tags"],
        "inLanguage": article["lang"],
        **extra,
    }
    if image:
        data["image"] = image_value
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def absolute(base: str, href: str) -> str:
    return urljoin(base, href) if href else ""


def boilerplate_excludes(lang: str) -> list[str]:
    return [COOKIE[lang][:60], NEWSLETTER[lang][:50], COMMENTS[lang][0][1][:50]]


def wordpress(article, rng, others, lang_attr=None):
    host, date = article["host"], article["date"]
    url = f"https://{host}/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug(article)}/"
    image = article["image"]
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": f"https://{host}/#website", "name": article["site"]},
            {"@type": "Person", "@id": f"https://{host}/#/person/1", "name": article["author"]},
            {
                "@type": ["Article", "BlogPosting"],
                "@id": url + "#article",
                "headline": article["title"],
                "author": {"@id": f"https://{host}/#/person/1"},
                "datePublished": date,
                "mainEntityOfPage": {"@id": url},
                "image": {"@id": url + "#primaryimage"},
                "keywords": ", ".join(article["tags"]),
            },
            {"@type": "ImageObject", "@id": url + "#primaryimage", "url": absolute(url, image)},
            {"@type": "WebPage", "@id": url, "url": url, "name": article["title"]},
        ],
    }
    figure = (
        f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
        f'height="576" src="{image}" srcset="{image} 1024w, {image}?w=300 300w" '
        f'class="wp-image-{rng.randint(100, 9999)}" alt=""></figure>'
    )
    paras = article["paragraphs"]
    content = paragraphs_html(article | {"paragraphs": paras[:2]}) + figure
    content += paragraphs_html(article | {"paragraphs": paras[2:]})
    head = "\n".join(
        [
            f"<title>{t(article['title'])} - {t(article['site'])}</title>",
            meta_tags(article, url, absolute(url, image)),
            f'<link rel="canonical" href="{url}">',
            f'<link rel="icon" href="https://{host}/wp-content/uploads/cropped-icon-32x32.png">',
            f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>',
            inline_css(rng, 450),
            analytics_script(host),
            '<script>window._wpemojiSettings={"baseUrl":"https://s.w.org/images/core/emoji/"};'
            "</script>",
        ]
    )
    body = (
        f'<body class="post-template-default single single-post">{cookie_banner(article["lang"])}'
        f'<header id="masthead"><a href="/"><img src="/wp-content/uploads/logo.png" class="custom-logo"'
        f' width="250" height="60" alt="{a(article["site"])}"></a>{mega_menu(article["lang"], host)}'
        f'</header><main id="primary"><article id="post-{rng.randint(100, 9999)}" class="post type-post'
        f' status-publish"><header class="entry-header"><h1 class="entry-title">{t(article["title"])}'
        f'</h1><div class="entry-meta"><span class="byline">{LABELS[article["lang"]]["by"]} '
        f'<a href="/author/x/">{t(article["author"])}</a></span> <time class="entry-date published" '
        f'datetime="{date}">{human_date(date, article["lang"])}</time></div></header>'
        f'<div class="entry-content">{content}</div>{share_bar(article["lang"])}</article>'
        f'{comment_list(article["lang"], rng, 4)}</main><aside id="secondary" class="widget-area">'
        f"{related_links(article['lang'], host, others)}{newsletter_box(article['lang'])}</aside>"
        f"{site_footer(article['lang'], host, article['site'])}</body>"
    )
    lang = lang_attr or article["lang"]
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": boilerplate_excludes(article["lang"]),
    }


def wordpress_wrong_lang(article, rng, others):
    """A French blog on an English theme: <html lang="en-US"> on French text."""
    return wordpress(article, rng, others, lang_attr="en-US")


def drupal(article, rng, others):
    host = article["host"]
    section = "actualites" if article["lang"] == "fr" else "news"
    url = f"https://{host}/{section}/{slug(article)}"
    image = article["image"]
    created = human_date(article["date"], article["lang"])
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} | {t(article['site'])}</title>",
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:description" content="{a(article["description"])}">',
            f'<link rel="canonical" href="/{section}/{slug(article)}">',
            '<link rel="shortcut icon" href="/themes/custom/site/favicon.ico">',
            '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">',
            inline_css(rng, 60),
        ]
    )
    body = (
        f'<body class="path-node page-node-type-article"><div class="dialog-off-canvas-main-canvas">'
        f'<header role="banner"><div class="region region-header"><a href="/" rel="home">'
        f'<img src="/themes/custom/site/logo.svg" alt="Accueil"></a></div>'
        f'{mega_menu(article["lang"], host)}</header><div class="region region-breadcrumb">'
        f'<nav class="breadcrumb"><ol><li><a href="/">Accueil</a></li><li>{section}</li></ol></nav>'
        f'</div><main role="main"><div class="region region-content"><article role="article" '
        f'class="node node--type-article node--view-mode-full"><h1 class="page-title"><span '
        f'class="field field--name-title">{t(article["title"])}</span></h1><div class="node__meta">'
        f'<span class="field--name-created">{LABELS[article["lang"]]["published"]} {created}</span>'
        f'</div><div class="field field--name-field-image"><img loading="lazy" src="{image}" '
        f'width="960" height="540" alt=""></div><div class="clearfix text-formatted field '
        f'field--name-body field__item">{paragraphs_html(article)}</div><div class="field '
        f'field--name-field-tags">{"".join(f"<a href=/tags/{i}>{t(x)}</a>" for i, x in enumerate(article["tags"]))}'
        f"</div></article></div></main>{related_links(article['lang'], host, others)}"
        f"{site_footer(article['lang'], host, article['site'])}</div></body>"
    )
    return {"html": doc(article["lang"], head, body), "url": url, "image": image}


def ghost(article, rng, others):
    host = article["host"]
    url = f"https://{host}/{slug(article)}/"
    image = f"https://{host}{article['image']}" if article["image"].startswith("/") else ""
    head = "\n".join(
        [
            f"<title>{t(article['title'])}</title>",
            meta_tags(article, url, image),
            f'<link rel="canonical" href="{url}">',
            '<link rel="icon" href="/favicon.png" type="image/png">',
            article_jsonld(article, url, image, rng, type="Article"),
            '<meta name="generator" content="Ghost 5.82">',
            inline_css(rng, 90),
        ]
    )
    body = (
        f'<body class="post-template"><div class="viewport"><header id="gh-head" class="gh-head">'
        f'<a class="gh-head-logo" href="/">{t(article["site"])}</a>{mega_menu(article["lang"], host)}'
        f'</header><main id="gh-main" class="gh-main"><article class="gh-article post">'
        f'<header class="gh-article-header gh-canvas"><span class="gh-article-tag">'
        f'{t(article["tags"][0])}</span><h1 class="gh-article-title">{t(article["title"])}</h1>'
        f'<p class="gh-article-excerpt">{t(article["description"])}</p><figure '
        f'class="gh-article-image"><img srcset="{image}?w=600 600w, {image}?w=1200 1200w" '
        f'sizes="(max-width: 1200px) 100vw, 1200px" src="{image}" alt=""></figure></header>'
        f'<section class="gh-content gh-canvas">{paragraphs_html(article)}</section></article>'
        f'<section class="footer-cta"><h2>{LABELS[article["lang"]]["subscribe"]}</h2>'
        f"<p>{t(NEWSLETTER[article['lang']])}</p></section>"
        f"{related_links(article['lang'], host, others)}</main>"
        f"{site_footer(article['lang'], host, article['site'])}</div></body>"
    )
    return {"html": doc(article["lang"], head, body), "url": url, "image": image}


def medium(article, rng, others):
    host = "medium.com"
    handle = article["author"].split()[0].lower()
    url = f"https://{host}/@{handle}/{slug(article)}-{rng.getrandbits(40):010x}"
    image = f"https://miro.medium.example/v2/resize:fit:1200/1*{rng.getrandbits(64):016x}.jpeg"
    cls = " ".join(f"{rng.choice('abcdefghij')}{rng.choice('klmnopq')}" for _ in range(6))
    paras = "".join(
        f'<h2 class="pw-post-body-heading {cls}">{t(p[3:])}</h2>'
        if p.startswith("## ")
        else f'<p class="pw-post-body-paragraph {cls}" data-selectable-paragraph="">{t(p)}</p>'
        for p in article["paragraphs"]
    )
    head = "\n".join(
        [
            f"<title>{t(article['title'])} | by {t(article['author'])} | Medium</title>",
            meta_tags(article | {"site": "Medium"}, url, image),
            f'<meta name="author" content="{a(article["author"])}">',
            f'<link rel="canonical" href="{url}">',
            article_jsonld(article | {"site": "Medium"}, url, image, rng),
            state_blob(rng, "__APOLLO_STATE__", article, 120000),
        ]
    )
    body = (
        f'<body><div id="root"><div class="a b c"><div class="signup-overlay"><p>Sign up to '
        f"discover human stories that deepen your understanding of the world.</p></div>"
        f'<article><div class="l"><section><div class="{cls}"><h1 class="pw-post-title" '
        f'data-testid="storyTitle">{t(article["title"])}</h1><div class="pw-author">'
        f'<img alt="{a(article["author"])}" class="avatar" src="https://miro.medium.example/1*av.jpeg" '
        f'width="44" height="44"><a href="/@{handle}">{t(article["author"])}</a> · 6 min read · '
        f'{human_date(article["date"], "en")}</div><figure><img src="{image}" alt="" '
        f'width="700" height="394" loading="eager"></figure>{paras}</div></section></div></article>'
        f'<div class="more-from"><h2>More from {t(article["author"])}</h2>'
        f"{related_links(article['lang'], host, others)}</div></div></div></body>"
    )
    return {
        "html": doc(article["lang"], head, body),
        "url": url,
        "image": image,
        "body_excludes": ["Sign up to discover human stories"],
    }


def newspaper(article, rng, others):
    host, lang, date = article["host"], article["lang"], article["date"]
    url = f"https://{host}/{slug(article)[:8]}/{date[:10].replace('-', '/')}/{slug(article)}_{rng.randint(10**6, 10**7)}.html"
    image = f"https://img.{host.removeprefix('www.')}/{rng.getrandbits(32):08x}/1200x675/{slug(article)}.jpg"
    paras = article["paragraphs"]
    also = others[0]
    inline_also = (
        f'<p class="article__read-also"><span>{LABELS[lang]["related"]}</span> '
        f'<a href="https://{host}/{also["id"]}">{t(also["title"])}</a></p>'
    )
    content = paragraphs_html(article | {"paragraphs": paras[:2]}) + inline_also
    content += '<div class="ad ad--inread" id="inread"><script>loadAd("inread")</script></div>'
    content += paragraphs_html(article | {"paragraphs": paras[2:]})
    head = "\n".join(
        [
            f"<title>{t(article['title'])} - {t(article['site'])}</title>",
            meta_tags(article, url, image),
            f'<meta property="article:modified_time" content="{date}">',
            f'<meta name="author" content="{a(article["author"])}">',
            f'<link rel="canonical" href="{url}">',
            '<link rel="apple-touch-icon" href="/apple-touch-icon.png">',
            article_jsonld(article, url, image, rng, isAccessibleForFree=True),
            inline_css(rng, 1200),
            analytics_script(host),
            state_blob(rng, "__PRELOADED_STATE__", article, 160000),
        ]
    )
    most_read = "".join(f"<li><a href='/{o['id']}'>{t(o['title'])}</a></li>" for o in others[1:])
    body = (
        f"<body>{cookie_banner(lang)}<div class='breaking-news'><strong>Direct</strong> "
        f"<a href='/live'>{t(others[3]['title'])}</a></div><header class='header'>"
        f"<a class='logo' href='/'><img src='/static/img/logo-{slug(article)[:4]}.svg' alt=''></a>"
        f"{mega_menu(lang, host)}</header><div id='ad-top' class='ad ad--banner'></div>"
        f"<main><article class='article article--full'><header class='article__header'>"
        f"<h1 class='article__title'>{t(article['title'])}</h1><p class='article__desc'>"
        f"{t(article['description'])}</p><div class='article__byline'><span class='author'>"
        f"{LABELS[lang]['by']} {t(article['author'])}</span> <time datetime='{date}'>"
        f"{human_date(date, lang)}</time></div></header><figure class='article__media'>"
        f"<picture><source srcset='{image}?w=640 640w' media='(max-width: 640px)'>"
        f"<img src='{image}' width='1200' height='675' alt=''></picture><figcaption>"
        f"{'Photo' if lang == 'en' else 'Photo'} : {t(article['site'])}</figcaption></figure>"
        f"<div class='article__content'>{content}</div>{share_bar(lang)}</article>"
        f"{comment_list(lang, rng, 5, 'reaction')}<aside class='sidebar'><section "
        f"class='most-read'><h3>{LABELS[lang]['most_read']}</h3><ol>{most_read}</ol></section>"
        f"{newsletter_box(lang)}<div class='ad ad--sidebar'></div></aside></main>"
        f"{related_links(lang, host, others)}{site_footer(lang, host, article['site'])}</body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": boilerplate_excludes(lang),
    }


def amp(article, rng, others):
    host = article["host"]
    url = f"https://{host}/amp/{slug(article)}.html"
    canonical = f"https://{host}/{slug(article)}.html"
    image = f"https://{host}{article['image']}"
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])}</title>",
            f'<link rel="canonical" href="{canonical}">',
            '<meta name="viewport" content="width=device-width">',
            article_jsonld(article, canonical, image, rng),
            "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal "
            "both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>",
            '<script async src="https://cdn.ampproject.org/v0.js"></script>',
            "<style amp-custom>" + inline_css(rng, 50)[7:-8] + "</style>",
        ]
    )
    body = (
        f'<body><header class="amp-header"><a href="{canonical}">{t(article["site"])}</a></header>'
        f'<amp-sidebar id="sidebar" layout="nodisplay">{mega_menu(article["lang"], host)}'
        f'</amp-sidebar><article class="amp-article"><h1>{t(article["title"])}</h1><div class="meta">'
        f"{t(article['author'])} — {human_date(article['date'], article['lang'])}</div>"
        f'<amp-img src="{image}" width="1200" height="675" layout="responsive"></amp-img>'
        f'{paragraphs_html(article)}</article><amp-analytics type="gtag"></amp-analytics>'
        f"{site_footer(article['lang'], host, article['site'])}</body>"
    )
    return {"html": doc(article["lang"], head, body, ' amp=""'), "url": url, "image": image}


def liveblog(article, rng, others):
    host, lang, date = article["host"], article["lang"], article["date"]
    url = f"https://{host}/direct/{slug(article)}"
    image = article["image"]
    updates = []
    for i, para in enumerate(p for p in article["paragraphs"] if not p.startswith("## ")):
        minute = 45 + i * 12
        updates.append(
            f'<div class="live-update" id="post-{i}"><time datetime="{date[:11]}'
            f"{19 + i // 4:02d}:{(i * 13) % 60:02d}:00{date[19:]}\">{minute}'</time>"
            f"<div class='live-update__body'><p>{t(para)}</p></div></div>"
        )
    head = "\n".join(
        [
            f"<title>DIRECT. {t(article['title'])} - {t(article['site'])}</title>",
            meta_tags(article, url, image),
            article_jsonld(
                article,
                url,
                f"https://{host}{image}" if image.startswith("/") else image,
                rng,
                type="LiveBlogPosting",
                coverageStartTime=date,
            ),
            inline_css(rng, 120),
        ]
    )
    body = (
        f"<body>{cookie_banner(lang)}<header>{mega_menu(lang, host)}</header><main>"
        f"<div class='scoreboard'><span>TLS 31</span><span>ASM 26</span></div>"
        f"<h1>{t(article['title'])}</h1><p class='live-lead'>{t(article['description'])}</p>"
        f"<section class='live-feed'>{''.join(reversed(updates))}</section></main>"
        f"{related_links(lang, host, others)}{site_footer(lang, host, article['site'])}</body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": [COOKIE[lang][:60]],
    }


def twitter_only(article, rng, others):
    """A small tech blog: Twitter card only, JSON-LD broken by a trailing comma, <time> in header."""
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/posts/{slug(article)}"
    image = (
        f"https://{host}{article['image']}"
        if article["image"].startswith("/")
        else article["image"]
    )
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} · {t(article['site'])}</title>",
            meta_tags(article, url, image, og=False),
            f'<meta name="twitter:description" content="{a(article["description"])}">',
            f'<meta name="author" content="{a(article["author"])}">',
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Blog'
            f'Posting","headline":"{a(article["title"])}",}}</script>',
            inline_css(rng, 40),
        ]
    )
    body = (
        f'<body><div class="container"><nav class="top"><a href="/">{t(article["site"])}</a> '
        f'<a href="/posts">Posts</a> <a href="/about">About</a> <a href="/rss.xml">RSS</a></nav>'
        f'<main><header class="post-header"><h1>{t(article["title"])}</h1><time datetime="'
        f'{article["date"][:10]}">{human_date(article["date"], lang)}</time></header>'
        f'<div class="post-content">{paragraphs_html(article)}</div></main><hr>'
        f'<footer><p>© {t(article["author"])} · <a href="/rss.xml">RSS</a></p></footer></div></body>'
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def nextjs(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/articles/{slug(article)}"
    image = f"https://{host}/_next/image?url=%2Fuploads%2F{slug(article)}.jpg&w=1920&q=75"
    divs = "".join(
        f'<div class="css-{rng.getrandbits(24):06x}"><div class="css-{rng.getrandbits(24):06x}">'
        + (f"<h2>{t(p[3:])}</h2>" if p.startswith("## ") else f"<p>{t(p)}</p>")
        + "</div></div>"
        for p in article["paragraphs"]
    )
    data = {
        "props": {
            "pageProps": {"article": {"title": article["title"], "body": article["paragraphs"]}}
        }
    }
    head = "\n".join(
        [
            f"<title>{t(article['title'])} | {t(article['site'])}</title>",
            meta_tags(article, url, image),
            article_jsonld(article, url, image, rng),
            '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
        ]
    )
    body = (
        f'<body><div id="__next"><div class="css-1r3"><header class="css-h1">'
        f'{mega_menu(lang, host)}</header><main class="css-m1"><div class="css-a1"><h1 '
        f'class="css-t1">{t(article["title"])}</h1><div class="css-b1"><span>'
        f'{t(article["author"])}</span></div><img alt="" src="{image}" width="1920" height="1080" '
        f'decoding="async" data-nimg="1"></div>{divs}</main><div class="css-r1">'
        f"{related_links(lang, host, others)}</div>{newsletter_box(lang)}"
        f"{site_footer(lang, host, article['site'])}</div></div>"
        f'<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(data, ensure_ascii=False)}</script>"
        f"{state_blob(rng, '__NEXT_CACHE__', article, 90000)}</body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": [NEWSLETTER[lang][:50]],
    }


def legacy_table(article, rng, others):
    """A 2005 municipal site: table layout, <font>, spacer GIFs, latin-1 with no charset meta."""
    host, lang = article["host"], article["lang"]
    url = f"http://{host}/actualites/article.php?id={rng.randint(100, 999)}"
    image = article["image"]
    spacer = '<img src="/images/spacer.gif" width="1" height="1">'
    paras = "".join(
        f'<p><font face="Verdana" size="2">{t(p)}</font></p>'
        for p in article["paragraphs"]
        if not p.startswith("## ")
    )
    menu = "".join(
        f'<tr><td><a href="/rubrique{i}.php">{t(w)}</a></td></tr>'
        for i, w in enumerate(
            ["Accueil", "Mairie", "Services", "Écoles", "Associations", "Agenda", "Contact"]
        )
    )
    head = f'<title>{t(article["title"])}</title>\n<meta name="keywords" content="{a(", ".join(article["tags"]))}">'
    body = (
        f'<body bgcolor="#ffffff" topmargin="0"><table width="780" border="0" cellpadding="0" '
        f'cellspacing="0" align="center"><tr><td colspan="2"><img src="/images/bandeau.gif" '
        f'width="780" height="120" alt="{a(article["site"])}"></td></tr><tr><td width="160" '
        f'valign="top"><table>{menu}</table>{spacer}</td><td width="620" valign="top">'
        f'<h1><font color="#003366">{t(article["title"])}</font></h1><p><i>'
        f"{LABELS[lang]['published']} {human_date(article['date'], lang)}</i></p>"
        f'<img src="{image}" width="400" height="300" align="right" hspace="8">{paras}{spacer}'
        f'</td></tr><tr><td colspan="2" align="center"><font size="1">{t(article["site"])} - '
        f"Place de la Mairie - Tél. 05 61 00 00 00</font></td></tr></table></body>"
    )
    with_header = rng.random() < 0.5
    return {
        "html": doc(
            lang,
            head,
            body,
            doctype='<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">',
        ).replace(f' lang="{lang}"', ""),
        "url": url,
        "image": image,
        "encoding": "iso-8859-1",
        "content_type": "text/html; charset=iso-8859-1" if with_header else "text/html",
    }


def static_blog(article, rng, others):
    """Hugo/Jekyll-style: no OpenGraph, no JSON-LD; a title, a date in the text, an image."""
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/{article['date'][:4]}/{slug(article)}.html"
    image = article["image"]
    figure = f'<p><img src="{image}" alt="{a(article["title"])}"></p>' if image else ""
    header_logo = '<img src="/assets/logo.png" alt="logo" class="site-logo">'
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} | {t(article['site'])}</title>",
            '<link rel="stylesheet" href="/css/main.css">',
            '<link rel="alternate" type="application/rss+xml" href="/feed.xml">',
        ]
    )
    posted = "Publié le" if lang == "fr" else "Posted on"
    body = (
        f'<body><header class="site-header">{header_logo}<a class="site-title" href="/">'
        f'{t(article["site"])}</a><nav><a href="/about/">{"À propos" if lang == "fr" else "About"}'
        f'</a> <a href="/archives/">Archives</a></nav></header><main class="page-content">'
        f'<div class="post"><h1 class="post-title">{t(article["title"])}</h1><p class="post-meta">'
        f"{posted} {human_date(article['date'], lang)}</p>{figure}"
        f'<div class="post-content">{paragraphs_html(article)}</div></div></main>'
        f'<footer class="site-footer"><p>{t(article["site"])} — '
        f"{'propulsé par Jekyll' if lang == 'fr' else 'powered by Jekyll'}</p></footer></body>"
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def press(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/{'presse' if lang == 'fr' else 'newsroom'}/{slug(article)}"
    image = article["image"]
    contact = "Contact presse" if lang == "fr" else "Media contact"
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['site'])} - {t(article['title'])}</title>",
            f'<meta name="description" content="{a(article["description"])}">',
            (f'<meta property="og:image" content="{image}">' if image else ""),
            f'<meta property="og:site_name" content="{a(article["site"])}">',
            inline_css(rng, 30),
        ]
    )
    body = (
        f'<body><header><img src="/assets/logo-{host.split(".")[1]}.svg" class="logo" alt="">'
        f'<nav><a href="/">{"Accueil" if lang == "fr" else "Home"}</a> <a href="/solutions">'
        f'Solutions</a> <a href="/presse">{"Presse" if lang == "fr" else "Newsroom"}</a></nav>'
        f'</header><main><div class="press-release"><p class="kicker">'
        f"{'Communiqué de presse' if lang == 'fr' else 'Press release'}</p><h1>"
        f'{t(article["title"])}</h1>{paragraphs_html(article)}<div class="boilerplate"><h3>'
        f"{'À propos' if lang == 'fr' else 'About'} {t(article['site'])}</h3><p>"
        f'{t(article["site"])} — www.{host.removeprefix("www.")}</p></div><div class="press-contact">'
        f"<h3>{contact}</h3><p>Camille Durand — presse@{host.removeprefix('www.')} — +33 5 61 00 00 "
        f"00</p></div><p><a href='/media/kit.zip'>{'Télécharger le kit presse' if lang == 'fr' else 'Download the media kit'}</a></p>"
        f"</div></main><footer><p>© 2024 {t(article['site'])}</p></footer></body>"
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def phpbb(article, rng, others):
    host, lang = article["host"], article["lang"]
    topic = rng.randint(1000, 99999)
    url = f"https://{host}/viewtopic.php?t={topic}"
    replies = [c for c in COMMENTS[lang]][:3]
    posts = [(article["author"], article["paragraphs"], article["date"])] + [
        (name, [text], article["date"]) for name, text in replies
    ]
    html_posts = "".join(
        f'<div id="p{topic + i}" class="post bg{i % 2 + 1}"><div class="inner"><dl class="postprofile">'
        f'<dt><img class="avatar" src="/download/file.php?avatar={i}.png" width="90" height="90">'
        f'<a class="username">{t(name)}</a></dt><dd>Messages : {rng.randint(3, 4000)}</dd></dl>'
        f'<div class="postbody"><h3><a href="#p{topic + i}">{"Re: " if i else ""}{t(article["title"])}'
        f'</a></h3><p class="author"><time datetime="{date}">{human_date(date, lang)}</time></p>'
        f'<div class="content">{"<br><br>".join(t(p) for p in paras)}</div></div></div></div>'
        for i, (name, paras, date) in enumerate(posts)
    )
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} - {t(article['site'])}</title>",
            inline_css(rng, 80),
        ]
    )
    body = (
        f'<body id="phpbb" class="section-viewtopic"><div id="wrap"><div class="headerbar"><h1>'
        f'{t(article["site"])}</h1><ul class="navbar"><li><a href="/faq.php">FAQ</a></li><li><a '
        f'href="/ucp.php?mode=login">Connexion</a></li></ul></div><h2 class="topic-title"><a '
        f'href="{url}">{t(article["title"])}</a></h2><div class="action-bar"><a class="button">'
        f'Répondre</a></div>{html_posts}<div class="jumpbox"><select><option>{t(article["section"])}'
        f'</option></select></div><div class="copyright">Powered by phpBB® Forum Software © phpBB '
        f"Limited</div></div></body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": "",
        "body_excludes": ["Powered by phpBB"],
    }


def discourse(article, rng, others):
    host, lang = article["host"], article["lang"]
    topic = rng.randint(1000, 99999)
    url = f"https://{host}/t/{slug(article)}/{topic}"
    replies = COMMENTS[lang][3:5]
    posting = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "headline": article["title"],
        "datePublished": article["date"],
        "author": {"@type": "Person", "name": article["author"]},
        "text": article["paragraphs"][0],
    }
    posts = "".join(
        f'<div class="topic-post" itemscope itemtype="http://schema.org/Comment"><div class="crawler-'
        f'post-meta"><span class="creator" itemprop="author"><span itemprop="name">{t(name)}</span>'
        f'</span><time itemprop="dateCreated" datetime="{article["date"]}" class="post-time">'
        f'{human_date(article["date"], lang)}</time></div><div class="post" itemprop="text">'
        f"<p>{t(text)}</p></div></div>"
        for name, text in replies
    )
    head = "\n".join(
        [
            f"<title>{t(article['title'])} - {t(article['section'])} - {t(article['site'])}</title>",
            f'<meta property="og:site_name" content="{a(article["site"])}">',
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:description" content="{a(article["description"])}">',
            f'<meta property="og:image" content="https://{host}/uploads/default/original/1X/logo.png">',
            f'<link rel="canonical" href="{url}">',
            f'<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}</script>',
        ]
    )
    body = (
        f'<body class="crawler"><header><a href="/"><img src="/uploads/default/original/1X/logo.png" '
        f'alt="{a(article["site"])}" id="site-logo"></a></header><div id="main-outlet" class="wrap">'
        f'<h1><a href="{url}">{t(article["title"])}</a></h1><div class="topic-category">'
        f'{t(article["section"])}</div><div id="post_1" class="topic-body crawler-post">'
        f'<div class="crawler-post-meta"><span class="creator"><b>{t(article["author"])}</b></span>'
        f'<time class="post-time" datetime="{article["date"]}">{human_date(article["date"], lang)}'
        f'</time></div><div class="post">{paragraphs_html(article)}</div></div>{posts}</div>'
        f'<footer class="container wrap"><nav class="crawler-nav"><a href="/">Home</a> <a href="/categories">'
        f'Categories</a> <a href="/guidelines">Guidelines</a></nav><p class="powered-by-link">Powered '
        f'by <a href="https://www.discourse.org">Discourse</a>, best viewed with JavaScript enabled</p>'
        f"</footer></body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": "",
        "body_excludes": ["best viewed with JavaScript enabled"],
    }


def readme(article, rng, others):
    url = "https://github.com/tidyfeed/tidyfeed"
    files = "".join(
        f'<div role="row" class="Box-row"><div role="rowheader"><a href="/tidyfeed/tidyfeed/blob/main/'
        f'{name}">{name}</a></div><div role="gridcell"><a href="/commit/{rng.getrandbits(40):010x}">'
        f"{msg}</a></div></div>"
        for name, msg in [
            (".github", "ci: cache cargo registry"),
            ("src", "Merge similar titles behind a flag"),
            ("tests", "Add fixtures for broken encodings"),
            ("Cargo.toml", "Release 0.9.2"),
            ("LICENSE", "Initial commit"),
            ("README.md", "Document the similarity option"),
        ]
    )
    readme_html = paragraphs_html(article)
    readme_html += (
        "<pre><code>tidyfeed https://example.org/feed.xml https://example.com/atom.xml "
        "--output merged.xml --similarity 0.9</code></pre>"
    )
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>GitHub - {t(article['title'])}</title>",
            f'<meta name="description" content="{a(article["description"])}">',
            '<meta property="og:site_name" content="GitHub">',
            '<meta property="og:type" content="object">',
            f'<meta property="og:title" content="GitHub - {a(article["title"])}">',
            f'<meta property="og:url" content="{url}">',
            f'<meta property="og:image" content="{article["image"]}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<link rel="icon" class="js-site-favicon" type="image/svg+xml" '
            'href="https://github.githubassets.example/favicons/favicon.svg">',
            inline_css(rng, 300),
        ]
    )
    body = (
        f'<body class="logged-out env-production"><div class="position-relative js-header-wrapper">'
        f'<header class="HeaderMktg"><a href="https://github.com/" aria-label="Homepage">{_octicon()}'
        f'</a><nav><a href="/features">Product</a> <a href="/solutions">Solutions</a> <a '
        f'href="/resources">Resources</a> <a href="/pricing">Pricing</a></nav></header></div>'
        f'<main id="js-repo-pjax-container"><div id="repository-container-header"><strong '
        f'itemprop="name"><a href="/tidyfeed/tidyfeed">tidyfeed</a></strong><ul class="UnderlineNav">'
        f"<li>Code</li><li>Issues 12</li><li>Pull requests 3</li><li>Actions</li></ul></div>"
        f'<div class="Box"><div role="grid">{files}</div></div><div id="readme" class="Box '
        f'md js-code-block-container"><article class="markdown-body entry-content container-lg" '
        f'itemprop="text"><h1>tidyfeed</h1>{readme_html}</article></div><div class="BorderGrid">'
        f"<h2>About</h2><p>{t(article['description'])}</p><h2>Releases 14</h2><h2>Languages</h2>"
        f'<ul><li>Rust 96.1%</li><li>Shell 3.9%</li></ul></div></main><footer class="footer">'
        f'<p>© 2024 GitHub, Inc.</p><a href="/site/terms">Terms</a> <a href="/site/privacy">'
        f'Privacy</a> <a href="/security">Security</a> <a href="/status">Status</a></footer></body>'
    )
    return {
        "html": doc("en", head, body, ' data-color-mode="auto"'),
        "url": url,
        "image": article["image"],
        "title": article["title"],
        "has_date": False,
        "body_excludes": ["Add fixtures for broken encodings"],
    }


def _octicon() -> str:
    return '<svg height="32" viewBox="0 0 16 16" width="32"><path d="M8 0c4.42 0 8 3.58 8 8"></path></svg>'


def gallery(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = (
        f"https://{host}/galerie/{slug(article)}"
        if lang == "fr"
        else f"https://{host}/gallery/{slug(article)}"
    )
    image = article["image"]
    photos = "".join(
        f'<figure class="gallery-item"><a href="/photos/{slug(article)}-{i}.jpg"><img '
        f'src="/photos/thumbs/{slug(article)}-{i}.jpg" data-src="/photos/{slug(article)}-{i}.jpg" '
        f'width="1200" height="800" alt="" class="lazyload"></a><figcaption>'
        f"{i}/8 — {t(article['site'])}</figcaption></figure>"
        for i in range(1, 9)
    )
    head = "\n".join(
        [
            f"<title>{'En images' if lang == 'fr' else 'In pictures'} : {t(article['title'])} - {t(article['site'])}</title>",
            meta_tags(article, url, f"https://{host}{image}"),
            article_jsonld(article, url, f"https://{host}{image}", rng),
            inline_css(rng, 100),
        ]
    )
    body = (
        f"<body>{cookie_banner(lang)}<header>{mega_menu(lang, host)}</header><main><article "
        f'class="gallery-article"><h1>{t(article["title"])}</h1><div class="intro">'
        f'{paragraphs_html(article, limit=2)}</div><div class="gallery">{photos}</div>'
        f'<div class="outro">{paragraphs_html(article | {"paragraphs": article["paragraphs"][2:]})}'
        f"</div></article></main>{related_links(lang, host, others)}"
        f"{site_footer(lang, host, article['site'])}</body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": f"https://{host}{image}",
        "body_excludes": [COOKIE[lang][:60]],
    }


def event(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/agenda/{slug(article)}/"
    image = f"https://{host}{article['image']}"
    ev = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": article["title"],
        "startDate": "2024-04-11T18:30:00+02:00",
        "location": {
            "@type": "Place",
            "name": "Quai des Savoirs",
            "address": "39 allées Jules-Guesde",
        },
        "image": [image],
        "organizer": {"@type": "Organization", "name": article["site"]},
    }
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} – {t(article['site'])}</title>",
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:image" content="{image}">',
            f'<meta property="og:site_name" content="{a(article["site"])}">',
            f'<script type="application/ld+json">{json.dumps(ev, ensure_ascii=False)}</script>',
            inline_css(rng, 70),
        ]
    )
    body = (
        f"<body><header>{mega_menu(lang, host)}</header><main><div class='event'><h1>"
        f"{t(article['title'])}</h1><ul class='event-facts'><li>Jeudi 11 avril, 18 h 30</li>"
        f"<li>Quai des Savoirs</li><li>Gratuit, sur inscription</li></ul><a class='btn' "
        f"href='/inscription'>{LABELS[lang]['subscribe']}</a><div class='event-body'>"
        f"{paragraphs_html(article)}</div><p class='published'>{LABELS[lang]['published']} "
        f"{human_date(article['date'], lang)}</p></div></main>"
        f"{site_footer(lang, host, article['site'])}</body>"
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def substack(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = f"https://{host.split('.')[0].removeprefix('www')}{rng.randint(1, 9)}.substack.example/p/{slug(article)}"
    image = f"https://substackcdn.example/image/fetch/w_1200,h_600,c_fill/{slug(article)}.jpg"
    second = "Alex Moreau" if lang == "fr" else "Jamie Clarke"
    head = "\n".join(
        [
            f"<title>{t(article['title'])} - by {t(article['author'])}</title>",
            meta_tags(article, url, image),
            f'<meta name="author" content="{a(article["author"])}">',
            article_jsonld(
                article,
                url,
                image,
                rng,
                author=[
                    {"@type": "Person", "name": article["author"]},
                    {"@type": "Person", "name": second},
                ],
            ),
        ]
    )
    body = (
        f'<body><div id="entry"><div class="topbar"><a href="/">{t(article["site"])}</a>'
        f'<button class="subscribe-btn">Subscribe</button></div><article class="typography '
        f'newsletter-post post"><div class="post-header"><h1 class="post-title">'
        f'{t(article["title"])}</h1><h3 class="subtitle">{t(article["description"])}</h3>'
        f'<div class="byline-names">{t(article["author"])} and {second}</div><div class="post-date">'
        f'{human_date(article["date"], lang)}</div></div><div class="available-content"><div '
        f'class="body markup" dir="auto">{paragraphs_html(article)}</div></div>'
        f'<div class="subscription-widget-wrap"><p>{t(NEWSLETTER[lang])}</p><input type="email">'
        f'<button>Subscribe</button></div><div class="post-footer">{share_bar(lang)}</div></article>'
        f"{comment_list(lang, rng, 3)}</div></body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": [NEWSLETTER[lang][:50]],
    }


def peertube(article, rng, others):
    host, lang = "video.tube-occitanie.example", article["lang"]
    short = "".join(
        rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789") for _ in range(22)
    )
    url = f"https://{host}/w/{short}"
    image = f"https://{host}/lazy-static/previews/{rng.getrandbits(64):016x}.jpg"
    head = "\n".join(
        [
            '<meta charset="utf-8">',
            f"<title>{t(article['title'])} - Tube Occitanie</title>",
            '<meta property="og:type" content="video.other">',
            f'<meta property="og:title" content="{a(article["title"])}">',
            f'<meta property="og:image" content="{image}">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:site_name" content="Tube Occitanie">',
            f'<meta property="og:description" content="{a(article["description"])}">',
            f'<meta property="og:video:url" content="https://{host}/videos/embed/{short}">',
            f'<link rel="alternate" type="application/json+oembed" href="https://{host}/services/'
            f'oembed?url=https%3A%2F%2F{host}%2Fw%2F{short}" title="{a(article["title"])}">',
            f'<link rel="canonical" href="{url}">',
        ]
    )
    body = (
        f'<body><div id="custom-css"><my-app><div class="root"><my-header><a class="peertube-title" '
        f'href="/">Tube Occitanie</a></my-header><div class="main-col"><my-video-watch><div '
        f'id="videojs-wrapper"></div><div class="video-info"><h1 class="video-info-name">'
        f'{t(article["title"])}</h1><div class="video-info-date-views">'
        f'{human_date(article["date"], lang)} - 1 203 vues</div><div class="video-info-description">'
        f"{paragraphs_html(article)}</div></div></my-video-watch></div></div></my-app></div>"
        f"<noscript>Veuillez activer JavaScript pour utiliser PeerTube.</noscript></body>"
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def youtube_blog(article, rng, others):
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/{article['date'][:4]}/{slug(article)}/"
    image = f"https://{host}{article['image']}"
    video = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_-") for _ in range(11)
    )
    iframe = (
        f'<figure class="wp-block-embed is-type-video"><iframe width="560" height="315" '
        f'src="https://www.youtube-nocookie.com/embed/{video}" title="YouTube video player" '
        f"allowfullscreen></iframe></figure>"
    )
    paras = article["paragraphs"]
    head = "\n".join(
        [
            f"<title>{t(article['title'])} | {t(article['site'])}</title>",
            meta_tags(article, url, image),
            article_jsonld(article, url, image, rng, type="BlogPosting"),
            inline_css(rng, 120),
            analytics_script(host),
        ]
    )
    body = (
        f"<body>{cookie_banner(lang)}<header>{mega_menu(lang, host)}</header><main><article "
        f'class="post"><h1>{t(article["title"])}</h1><p class="byline">{LABELS[lang]["by"]} '
        f'{t(article["author"])}</p><div class="post-body">'
        f"{paragraphs_html(article | {'paragraphs': paras[:1]})}{iframe}"
        f"{paragraphs_html(article | {'paragraphs': paras[1:]})}</div></article>"
        f"{comment_list(lang, rng, 2)}</main>{related_links(lang, host, others)}"
        f"{site_footer(lang, host, article['site'])}</body>"
    )
    return {
        "html": doc(lang, head, body),
        "url": url,
        "image": image,
        "body_excludes": [COOKIE[lang][:60], COMMENTS[lang][0][1][:40]],
    }


def spa_shell(article, rng, others):
    """A client-rendered page: the article only exists in a JSON blob until JavaScript runs."""
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/read/{slug(article)}"
    image = f"https://{host}/static/media/{slug(article)}.webp"
    data = {"article": {"headline": article["title"], "body": article["paragraphs"]}}
    head = "\n".join(
        [
            f"<title>{t(article['title'])}</title>",
            meta_tags(article, url, image),
            '<script defer src="/static/js/main.4f2a9c.js"></script>',
        ]
    )
    body = (
        '<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root">'
        f'</div><script id="initial-data" type="application/json">{json.dumps(data)}</script></body>'
    )
    return {"html": doc(lang, head, body), "url": url, "image": image}


def css_background(article, rng, others):
    """A hand-made theme: the lead image is a CSS background, the date is relative."""
    host, lang = article["host"], article["lang"]
    url = f"https://{host}/{slug(article)}"
    image = f"https://{host}{article['image']}"
    ago = "il y a 3 heures" if lang == "fr" else "3 hours ago"
    head = "\n".join(
        ['<meta charset="utf-8">', f"<title>{t(article['title'])}</title>", inline_css(rng, 30)]
    )
    body = (
        f'<body><div class="hero" style="background-image: url({image}); height: 420px">'
        f'<h1 class="hero-title">{t(article["title"])}</h1></div><div class="meta">{ago} · '
        f'{t(article["author"])}</div><div class="text">{paragraphs_html(article)}</div>'
        f"<footer>{t(article['site'])}</footer></body>"
    )
    return {"html": doc(lang, head, body), "url": url, "image": image, "has_date": False}


TEMPLATES = {
    "spa_shell": spa_shell,
    "css_background": css_background,
    "wordpress": wordpress,
    "wordpress_wrong_lang": wordpress_wrong_lang,
    "drupal": drupal,
    "ghost": ghost,
    "medium": medium,
    "newspaper": newspaper,
    "amp": amp,
    "liveblog": liveblog,
    "twitter_only": twitter_only,
    "nextjs": nextjs,
    "legacy_table": legacy_table,
    "static_blog": static_blog,
    "press": press,
    "phpbb": phpbb,
    "discourse": discourse,
    "readme": readme,
    "gallery": gallery,
    "event": event,
    "substack": substack,
    "peertube": peertube,
    "youtube_blog": youtube_blog,
}
