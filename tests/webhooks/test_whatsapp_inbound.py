"""WhatsApp inbound as Twilio sends it: quick-reply buttons, and business-scoped user ids (no number) through
a claim, a relay, the console's mask, STOP and DELETE."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from store.keys import key_for
from tests.conftest import ALEXIS, HOTLINE_NUMBER, new_sid, signed_post, twiml_messages

USER_ID = "US.13491208655302741934"
ADDRESS = "whatsapp:" + USER_ID


@dataclass
class WhatsAppUser:
    """A WhatsApp user texting the line, as Twilio posts it: From, ExternalUserId, buttons."""

    client: object
    from_: str = ADDRESS
    user_id: str = USER_ID

    def send(self, body: str = "", **extra: str) -> list[str]:
        params = {"MessageSid": new_sid(), "From": self.from_, "To": "whatsapp:" + HOTLINE_NUMBER, "Body": body,
                  "NumMedia": "0", "AccountSid": "AC" + "0" * 32, "ExternalUserId": self.user_id, **extra}
        response = signed_post(self.client, "/webhooks/sms", params)
        assert response.status_code == 200, response.data
        return twiml_messages(response)


def test_a_button_payload_that_is_an_answer_is_read_as_one(client):
    user = WhatsAppUser(client, "whatsapp:+15555550165", "")
    user.send("hello")
    [reply] = user.send("In danger", ButtonText="In danger", ButtonPayload="2")
    assert "Call 911" in reply or "call 911" in reply


def test_a_button_is_read_by_its_words_when_its_payload_is_not_an_answer(client, lantern):
    user = WhatsAppUser(client, "whatsapp:+15555550166", "")
    user.send("hello")
    assert user.send("", ButtonText="STOP", ButtonPayload="opt_out_button_7") == []
    assert lantern.stores.store.is_opted_out(lantern.stores.store.conversation_key("whatsapp:+15555550166"))


def test_a_business_scoped_id_is_claimed_relayed_masked_and_erased(client, make_texter, work, roster, twilio_api,
                                                                   lantern, raw_redis):
    user, alexis = WhatsAppUser(client), make_texter(ALEXIS)
    [first] = user.send("hello")
    assert "911" in first
    user.send("2")
    work()
    conv_key = lantern.stores.store.conversation_key(ADDRESS)
    code = lantern.stores.store.get(conv_key).case_code
    assert alexis.send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    alexis.send("Are you safe?")
    work()
    assert twilio_api.to(ADDRESS) == ["Hi, this is Alexis, an advocate. I'm here with you now.", "Are you safe?"]
    assert {m.from_ for m in twilio_api.sent if m.to == ADDRESS} == {"whatsapp:" + HOTLINE_NUMBER}
    assert user.send("yes for now") == []
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} wrote: «yes for now»"
    assert all(USER_ID not in m.body for m in twilio_api.sent if m.to == ALEXIS)  # pages and relays: never the id
    assert USER_ID not in conv_key and not any(USER_ID.encode() in k for k in raw_redis.keys("lantern:*"))

    from console.display import masked_address
    assert masked_address(ADDRESS) == "WhatsApp user ••34"

    assert user.send("DELETE") == ["Done."]
    work()
    assert not raw_redis.exists(key_for(conv_key, "log"))
    assert twilio_api.to(ALEXIS)[-1].startswith(f"{code} asked to DELETE their messages")


@pytest.mark.parametrize("from_", ["", "whatsapp:"])
def test_only_an_external_user_id_is_enough(client, lantern, from_):
    user = WhatsAppUser(client, from_)
    [reply] = user.send("hello")
    assert "911" in reply
    assert lantern.stores.store.get(lantern.stores.store.conversation_key(ADDRESS)) is not None


def test_stop_from_a_business_scoped_id_is_kept(client, lantern):
    user = WhatsAppUser(client)
    user.send("hello")
    assert user.send("STOP") == []
    assert user.send("he's coming") == []
    assert lantern.stores.store.is_opted_out(lantern.stores.store.conversation_key(ADDRESS))
