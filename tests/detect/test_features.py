"""Feature details: what counts as a link in a message, URL words, caps of popular hosts."""

from __future__ import annotations

from tangkal.detect.domains import parse_url
from tangkal.detect.features import url_tokens
from tangkal.detect.hashing import hash_words
from tangkal.detect.linkrules import LOOSE_CAP, POPULAR_CAP, SUBHOST_CAP, link_rules
from tangkal.detect.text import find_urls


def test_joined_words_and_course_codes_are_not_links() -> None:
    text = "vui long truy cap.truy ngay, i.ll call, mon AB123.X45.CDEF; vcb-login.top/xac-thuc"
    assert find_urls(text.casefold()) == ["vcb-login.top/xac-thuc"]


def test_a_top_level_domain_ends_the_host() -> None:
    """A parcel code or a promo code with a TLD-like label inside is not a link (session 10)."""
    text = "GHTK: Don hang S2201.HN12.A3.88120, ma W.PL5SS, No.PIN-25g47, xem ghtk.vn/tra-cuu."
    assert find_urls(text) == ["ghtk.vn/tra-cuu"]
    assert find_urls("bca.co.id, klikbca.com; maybank2u.com.my/login!") == [
        "bca.co.id",
        "klikbca.com",
        "maybank2u.com.my/login",
    ]


def test_links_with_scheme_or_www_are_kept_whatever_their_ending() -> None:
    assert find_urls("see http://intranet.local/x and www.example.zz") == [
        "http://intranet.local/x",
        "www.example.zz",
    ]


def test_word_hashes_do_not_depend_on_position_or_batch() -> None:
    alone = hash_words(["login"], 1, 20)
    batch = hash_words(["h:a p:b", "verify login now"], 2, 20)
    assert int(alone.cols[0]) in set(batch.cols[batch.rows == 1].tolist())
    assert batch.rows.tolist().count(0) == 3  # two words and one pair


def test_url_tokens_keep_host_and_path_words_apart() -> None:
    tokens = url_tokens(parse_url("http://login.example.com/login")).split()
    assert "h:login" in tokens and "p:login" in tokens


def _cap(url: str) -> float | None:
    caps = [hit.cap for hit in link_rules(parse_url(url)) if hit.cap is not None]
    return min(caps) if caps else None


def test_popular_domain_vouches_fully_only_for_its_main_site() -> None:
    assert _cap("https://www.wikipedia.org/wiki/ASEAN") == POPULAR_CAP
    # Other hosts under it are left to the URL model (the cap changes nothing).
    assert _cap("https://login-panel52358.web65.wikipedia.org/x") == SUBHOST_CAP == 1.0


def test_open_redirect_on_popular_domain_is_not_vouched_for() -> None:
    assert _cap("https://vk.com/away.php?to=http://example.top/verify") == LOOSE_CAP
