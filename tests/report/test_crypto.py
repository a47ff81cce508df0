"""Wallet checksums: well-known valid addresses pass, one changed character fails."""

from __future__ import annotations

import pytest

from tangkal.report.crypto import _CHARSET, _polymod, bech32_valid, eip55_valid, wallet_chain

VALID = [
    # Bitcoin genesis coinbase (P2PKH) and the BIP-13 P2SH example.
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "bitcoin", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    # BIP-173 vectors (upper case is valid and canonically lower-cased).
    (
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bitcoin",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    ),
    (
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "bitcoin",
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
    ),
    # BIP-350 taproot (bech32m).
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "bitcoin",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    ),
    # EIP-55 examples from the EIP itself; canonical is lower-case.
    (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "evm",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ),
    (
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "evm",
        "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
    ),
    (
        "0x52908400098527886e0f7030069857d2e4169ee7",
        "evm",
        "0x52908400098527886e0f7030069857d2e4169ee7",
    ),
    # The USDT contract on TRON.
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
]


@pytest.mark.parametrize(("address", "chain", "canonical"), VALID)
def test_valid_addresses(address: str, chain: str, canonical: str) -> None:
    assert wallet_chain(address) == (chain, canonical)


def _corrupt(address: str, index: int) -> str:
    """Swap one character for another of the same alphabet and case."""
    char = address[index]
    if char.isdigit():
        new = "3" if char != "3" else "4"
    elif char.isupper():
        new = "H" if char != "H" else "J"
    else:
        new = "e" if char != "e" else "f"
    return address[:index] + new + address[index + 1 :]


# An all-lower-case EVM address carries no checksum, so it has none to break.
CHECKSUMMED = [v[0] for v in VALID if not (v[1] == "evm" and v[0][2:].islower())]


@pytest.mark.parametrize("address", CHECKSUMMED)
@pytest.mark.parametrize("index", [-1, -5, 10])
def test_one_character_corruption_is_rejected(address: str, index: int) -> None:
    corrupted = _corrupt(address, index)
    assert corrupted != address
    assert wallet_chain(corrupted) is None


def test_evm_case_flip_breaks_eip55() -> None:
    good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    assert eip55_valid(good)
    assert not eip55_valid(good[:-1] + "D")
    assert wallet_chain("0x" + good[2:].upper()) is not None  # one case: no checksum claimed


def _encode(data: list[int], const: int) -> str:
    """Reference BIP-173 encoder with a chosen checksum constant (1 bech32, else bech32m)."""
    hrp = [ord(c) >> 5 for c in "bc"] + [0] + [ord(c) & 31 for c in "bc"]
    mod = _polymod(hrp + data + [0] * 6) ^ const
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(_CHARSET[d] for d in data + checksum)


def _data(address: str) -> list[int]:
    return [_CHARSET.index(c) for c in address.lower()[3:-6]]


def test_bech32_variant_must_match_witness_version() -> None:
    taproot = _data("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
    segwit0 = _data("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    assert bech32_valid(_encode(taproot, 0x2BC830A3))
    assert not bech32_valid(_encode(taproot, 1))  # BIP-350: v1+ needs bech32m
    assert bech32_valid(_encode(segwit0, 1))
    assert not bech32_valid(_encode(segwit0, 0x2BC830A3))  # v0 keeps plain bech32
    assert not bech32_valid(_encode(segwit0[:-4], 1))  # a v0 program must be 20 or 32 bytes


def test_bech32_rules() -> None:
    assert not bech32_valid("Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")  # mixed case
    assert not bech32_valid("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")  # testnet
    assert not bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb")  # 'b' not in charset


@pytest.mark.parametrize(
    "token",
    ["", "0x123", "0xZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", "hello", "T" * 34, "1" * 30],
)
def test_rubbish_is_not_a_wallet(token: str) -> None:
    assert wallet_chain(token) is None
