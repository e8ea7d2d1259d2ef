"""Encryption at rest: AES-256-GCM tokens, keys rotated as MultiFernet rotates them, old Fernet tokens read."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from config.settings import new_data_key
from store.crypto import Cipher
from store.exceptions import UnreadableData

OLD, NEW = new_data_key(), new_data_key()
WORDS = "he took my passport, ayúdame"


def test_a_round_trip_names_no_words_and_differs_every_time():
    cipher = Cipher((NEW,))
    first, second = cipher.encrypt(WORDS), cipher.encrypt(WORDS)
    assert first != second and b"passport" not in first
    assert cipher.decrypt(first) == cipher.decrypt(second) == WORDS


def test_rotation_the_first_key_writes_every_listed_key_reads():
    written_before = Cipher((OLD,)).encrypt(WORDS)
    rotated = Cipher((NEW, OLD))
    assert rotated.decrypt(written_before) == WORDS
    assert Cipher((NEW,)).decrypt(rotated.encrypt(WORDS)) == WORDS  # new writes use the first key only
    with pytest.raises(UnreadableData):
        Cipher((NEW,)).decrypt(written_before)  # the old key dropped: its data is unreadable, not garbled


def test_tokens_written_by_multifernet_before_still_decrypt():
    legacy = Fernet(OLD).encrypt(WORDS.encode())
    assert Cipher((NEW, OLD)).decrypt(legacy) == WORDS
    with pytest.raises(UnreadableData):
        Cipher((NEW,)).decrypt(legacy)


@pytest.mark.parametrize("damage", [
    lambda t: t[:-1] + (b"A" if t[-1:] != b"A" else b"B"),  # a changed byte: the tag no longer matches
    lambda t: t[:20],  # cut short
    lambda t: t[:2] + b"!!not base64!!",
    lambda t: b"not a token at all",
])
def test_a_damaged_token_is_unreadable_data_never_garbage(damage):
    cipher = Cipher((NEW,))
    with pytest.raises(UnreadableData):
        cipher.decrypt(damage(cipher.encrypt(WORDS)))
