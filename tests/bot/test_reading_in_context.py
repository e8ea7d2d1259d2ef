"""Reading a message in its context (bot/understanding.py, flows/understanding.yaml): as the survivor sees it,
danger pages an advocate URGENT and a message that only looks like danger pages nobody."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import Conversation, Inbound, Priority, RequestAdvocate, TurnFacts
from bot.engine import Engine
from bot.understanding import Understanding, UnderstandingError
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Engine(load_content(ROOT / "config"))
ADDRESS = "+15555550145"
NIGHT = TurnFacts(staffed=False)


def first_message(body: str):
    conv = Conversation(key="k", address=ADDRESS, state="new", created_at=0.0)
    return ENGINE.step(conv, Inbound("SM1", ADDRESS, body), 10.0, NIGHT)


def urgent_pages(outcome) -> list:
    return [e for e in outcome.effects if isinstance(e, RequestAdvocate) and e.priority is Priority.URGENT]


@pytest.mark.parametrize("body", [
    # A pattern reads past the words people put in between ("ever", "solo").
    "if i ever tell anyone he says im dead", "la puerta solo se abre desde afuera",
    # A Spanish pronoun attached to the verb, and Spanish spelled by ear.
    "quieren venderla a otro hombre", "me dio una golpisa anoche",
    # Told of a source, but it is the texter's own.
    "saw a show about trafficking and thats what he does to me",
    # An age told does not cancel the danger said after it.
    "my daughter is 13 and a grown man keeps messaging her",
    # A longer danger phrase is not the question inside it ("que es trata").
    "creo que es trata lo que me pasa",
    # Hurt by someone, not by oneself; afraid of him, not of the boss; he, not someone, in "what if".
    "he burned my hand with the iron", "im scared he will hurt me", "what if he finds me",
    # A negation says nothing past the doer named after it: "no contesta" is about the sister.
    "mi hermana no contesta su novio la golpea",
    # A child in danger, however it is told.
    "vi en la parada a una niña como de 13 y un señor la subia a los camiones, la tienen trabajando",
    # What used to happen, and still does.
    "me golpeaba y todavia me golpea, pero estoy bien",
    # Danger in words the lexicon did not have.
    "he said he'd end me", "they kick the new girls who talk back", "me entregaron a otro señor",
    "dispararon a la casa anoche",
    # Danger told against a hedge: a laugh beside it is nerves, and the backstop does not overrule it.
    "its probably nothing but he keeps saying i will vanish and no one will look lol",
    "im fine for now but he is sitting right next to me reading my screen",
    "no es nada grave pero el patron se queda con todo mi sueldo jaja",
    # A laugh reaches its own sentence and those before it, not the next; beside a hedge, only what came before.
    "lol no idea anymore, i work every day and what i owe him keeps growing",
    "whatever lol the woman who crossed us says we owe her for the trip",
    # A reassurance asked, and answered no.
    "you asked if im safe. no. not really", "me preguntas si estoy bien, la verdad no",
    # "nada mas" is "only", not a negation.
    "nada mas nos pega cuando llega borracho",
    # Threats that go on are no hyperbole, whoever makes them.
    "my older brother keeps threatening me when mom is at work", "mi hermano me sigue amenazando desde que me fui",
])
def test_danger_read_in_context_pages_an_advocate_urgent(body):
    outcome = first_message(body)
    assert outcome.intent == "danger" and outcome.conversation.priority is Priority.URGENT, ENGINE.understanding.read(body)
    assert urgent_pages(outcome)


@pytest.mark.parametrize("body", [
    # Told from a source, of someone else.
    "the news said a ring forced women to work in nail salons for nothing",
    "vi un documental donde venden a unas muchachas", "we had a speaker at church talk about forced labor",
    # A deportation told of someone else, long past.
    "my uncle got deported last year, can we send him money",
    # A minor who works is not a minor in danger.
    "my son is 16 and works at a grocery store",
    # Hurt by oneself; afraid of being fired or for a pet.
    "i cut my finger chopping onions", "me queme la mano con la plancha",
    "im nervous my manager will fire me", "tengo miedo de que mi perro se pierda",
    # The knock was someone harmless.
    "someones knocking, oh its just the delivery guy", "tocaron la puerta, era nomas el vecino",
    # What was taken is back, and it was years ago.
    "back in 2018 they held my passport, i got it back and im safe now",
    # Asking how to report what someone else does.
    "how do i report a business that i think is trafficking people",
    # A hypothetical about someone.
    "what if someone took my id, would that be illegal", "que pasaria si alguien me quitara mis papeles",
    # Spanish told in the imperfect, with a reassurance.
    "mi ex me golpeaba pero ya estoy bien",
    # A laugh still says how what came before it was meant, and a figure stays a figure after a hedge.
    "my brother wrestled me and pinned me down for an hour lol, its fine", "idk but my mom is gonna kill me lol",
    # "jk" takes back what was said wherever it is; a reassurance after "if" asked and answered yes.
    "its fine but he reads all my texts lol jk its my little sister", "you asked if im safe, yes, all good now",
    # "Si" opening its clause is "sí" without its accent: a reassurance said, not asked.
    "si toy bien, nomas no puedo dormir", "si, estoy segura, el ya no vive aqui",
])
def test_what_only_looks_like_danger_pages_nobody(body):
    outcome = first_message(body)
    assert outcome.conversation.priority is not Priority.URGENT, ENGINE.understanding.read(body)
    assert not urgent_pages(outcome)


def test_others_naming_an_unknown_category_stops_start_up_naming_the_line(tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    path = flows / "understanding.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  own_only: [immigration_threat, violence, threat]" in text
    path.write_text(text.replace("  own_only: [immigration_threat, violence, threat]", "  own_only: [deportation]"),
                    encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "[deportation]" in row)
    with pytest.raises(UnderstandingError, match=rf"understanding\.yaml:{line}: 'others.own_only': unknown category"):
        Understanding.load(path)
