"""Which requests are not a person reading a page: crawlers, link previews, scripts, prefetches.

Matching is on substrings of the User-Agent, case-insensitive. Headless Chromium is deliberately
absent: our own Playwright tests drive it, and a headless browser is rare among crawlers that do
not already announce themselves with one of the words below.
"""

import re

_TOKENS = (
    # Self-declared crawlers: Googlebot, bingbot, Baiduspider, Yahoo! Slurp, AhrefsBot, GPTBot...
    "bot",
    "crawl",
    "spider",
    "slurp",
    "scrap",
    "fetch",
    "ia_archiver",
    "heritrix",
    "google-",
    "googleother",
    "mediapartners",
    "qwantify",
    "chatgpt-user",
    "claude-web",
    "anthropic-ai",
    "perplexity",
    "cohere-ai",
    # Link previews: social networks, chat apps and fediverse servers fetching a shared link.
    "facebookexternalhit",
    "facebookcatalog",
    "preview",
    "embedly",
    "iframely",
    "whatsapp",
    "vkshare",
    "cardyb",
    "http.rb",
    "mastodon",
    "pleroma",
    "akkoma",
    "misskey",
    "gotosocial",
    "veille/",
    # Feed readers fetching a full article.
    "rss",
    "miniflux",
    "newsblur",
    "simplepie",
    # HTTP libraries and command-line tools.
    "curl",
    "wget",
    "python",
    "httpie",
    "go-http-client",
    "java",
    "okhttp",
    "apache-httpclient",
    "libwww",
    "lwp::",
    "ruby",
    "axios",
    "undici",
    "guzzle",
    # Monitoring and audits.
    "uptime",
    "monitor",
    "pingdom",
    "check_http",
    "lighthouse",
    "validator",
    "phantomjs",
)

# A browser never puts a URL in its User-Agent; bots do, to say who they are ("+https://...").
BOT_USER_AGENT = re.compile(
    "|".join([re.escape(token) for token in _TOKENS] + [r"https?://"]), re.IGNORECASE
)

# Speculative loads: Chromium sends Sec-Purpose (prefetch, "prefetch;prerender"), older browsers
# Purpose or X-Moz, Safari's top-sites previews X-Purpose. The reader may never see the page.
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
_PREFETCH_VALUES = ("prefetch", "preview")


def is_bot(user_agent: str) -> bool:
    """True for an empty User-Agent or one of a known crawler, previewer or HTTP library."""
    return not user_agent.strip() or BOT_USER_AGENT.search(user_agent) is not None


def is_prefetch(request) -> bool:
    for header in _PREFETCH_HEADERS:
        value = request.META.get(header, "").lower()
        if any(word in value for word in _PREFETCH_VALUES):
            return True
    return False
