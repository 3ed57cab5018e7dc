import pytest
from django.test import RequestFactory

from veille.analytics.bots import is_bot, is_prefetch

BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
    # Debian's Chromium driven by Playwright in our browser tests.
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
]

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
    "Mastodon/4.3.0 (http.rb/5.2.0; +https://mastodon.social/)",
    "Twitterbot/1.0",
    "WhatsApp/2.23.20.0",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Python/3.12 aiohttp/3.9.5",
    "Go-http-client/2.0",
    "   ",
    "",
]


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_browsers_are_not_bots(user_agent):
    assert not is_bot(user_agent)


@pytest.mark.parametrize("user_agent", BOTS)
def test_crawlers_previewers_and_http_libraries_are_bots(user_agent):
    assert is_bot(user_agent)


def test_a_plain_request_is_not_a_prefetch():
    assert not is_prefetch(RequestFactory().get("/"))


def test_a_speculative_prerender_is_a_prefetch():
    assert is_prefetch(RequestFactory().get("/", HTTP_SEC_PURPOSE="prefetch;prerender"))


def test_a_safari_top_sites_preview_is_a_prefetch():
    assert is_prefetch(RequestFactory().get("/", HTTP_X_PURPOSE="preview"))
