"""Reading people's own words (flows/understanding.yaml), in the pure engine: no Flask, no Redis."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import Conversation, Inbound, Priority, RequestAdvocate, TurnFacts
from bot.engine import Engine
from bot.flow import FlowError
from bot.understanding import Understanding, UnderstandingError
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Engine(load_content(ROOT / "config"))
ADDRESS = "+15555550144"
NIGHT = TurnFacts(staffed=False)


def trigger(body: str, state: str = "new", **fields) -> str:
    conv = Conversation(key="k", address=ADDRESS, state=state, created_at=1.0, **fields)
    return ENGINE.read(body, conv=conv)[0]


def step(body: str, state: str = "new", facts: TurnFacts = TurnFacts(), **fields):
    conv = Conversation(key="k", address=ADDRESS, state=state, created_at=0.0 if state == "new" else 1.0, **fields)
    return ENGINE.step(conv, Inbound("SM1", ADDRESS, body), 10.0, facts)


def categories(body: str) -> tuple[str, ...]:
    return ENGINE.understanding.read(body).categories


# Texts the line missed before, each as a person typed it (from the issue).
@pytest.mark.parametrize("body", [
    "he hits me", "help me please now", "hes outside the door right now", "im hiding in the bathroom",
    "he has my passport and wont give it back", "i owe them money and they say i cant go till i pay",
    "they make me have sex with men for money", "im 15 and a man makes me meet guys",
    "me vendieron", "no me dejan salir de la casa", "tienen mi pasaporte", "ayudame x favor ya", "me golpean",
    "tengo miedo de q me encuentre", "dicen q van a llamar a inmigracion si digo algo",
])
def test_danger_in_a_persons_own_words_is_danger_from_the_first_message(body):
    outcome = step(body)
    assert outcome.intent == "danger" and outcome.conversation.priority is Priority.URGENT
    assert all(n in outcome.replies[0] for n in ("911", "1-888-373-7888", "233733"))


@pytest.mark.parametrize("body, category", [
    # Inflection, in both languages.
    ("he hit me", "violence"), ("he hits me", "violence"), ("he keeps hitting me", "violence"),
    ("me pega", "violence"), ("me pegan", "violence"), ("me pegó", "violence"), ("me estan pegando", "violence"),
    ("no me deja salir", "confinement"), ("no me dejan salir", "confinement"),
    # Texting forms, case, accents and repeated letters.
    ("HES COMING", "present_now"), ("pleeease help", "urgent_help"), ("ayúdenme por favor", "urgent_help"),
    ("u took my id", "documents"), ("tiene mi pasaporte xfa ayuda", "documents"),
    # A one-letter slip in a longer word.
    ("he will kil me", "threat"), ("im so scard", "fear"), ("hep me", "urgent_help"),
    ("he has a knif", "weapon"), ("they took my pasport", "documents"),
    # Por favor cut short; a word that only ends like a verb with its pronoun is read whole.
    ("ayudame x fa", "urgent_help"), ("auxilio por fis", "urgent_help"), ("no puedo hablar fuerte, me oye", "hiding"),
])
def test_text_is_read_the_way_people_type_it(body, category):
    assert category in categories(body)


def test_a_pronoun_comes_off_a_verb_only():
    words = ENGINE.understanding.words
    assert words("quieren golpearla").surface == ["quieren", "golpear", "la"]
    assert words("usarme").surface == ["usar", "me"]
    assert words("hablar fuerte").surface == ["hablar", "fuerte"]
    assert words("amenaza de muerte").surface == ["amenaza", "de", "muerte"]


@pytest.mark.parametrize("body", [
    "not hurt", "nobody is hurting me", "no one is hurting me", "no estoy en peligro", "ya no estoy con él",
    "I'm safe now", "he doesnt hit me anymore", "nadie me pega", "im not in danger", "no tengo miedo",
    # Words that only look like danger.
    "hit me up later", "my phone died", "killing time at the mall", "this heat is killing me", "skill",
    "Killeen", "armario", "hurtado", "i need help finding a lawyer", "lol u scared me",
])
def test_negations_reassurances_and_idioms_are_not_danger(body):
    assert categories(body) == ()
    assert all("call 911" not in reply.lower() for reply in step(body, "safety_check").replies)


@pytest.mark.parametrize("body", [
    "I can't leave", "i cant leave", "they won't let me go", "he doesnt let me go out", "no me dejan salir",
    "no puedo salir", "nobody lets me leave", "never let me leave", "im not safe", "no estoy segura aqui",
    "no he hits me",  # "no" answering something, then danger: the negation does not reach across
])
def test_negations_that_are_themselves_danger_stay_danger(body):
    assert categories(body)


@pytest.mark.parametrize("state, body, expected", [
    ("safety_check", "yes i can talk", "choice_1"), ("safety_check", "si puedo hablar", "choice_1"),
    ("safety_check", "im ok, just asking", "choice_1"),
    ("safety_check", "im in danger", "danger"), ("safety_check", "no im not safe", "danger"),
    ("safety_check", "no estoy segura", "danger"), ("safety_check", "necesito ayuda ya", "danger"),
    ("safety_check", "later", "choice_3"), ("safety_check", "mas tarde", "choice_3"),
    ("safety_check", "ahorita no puedo", "quiet"), ("safety_check", "not now", "choice_3"),
    ("needs", "i need somewhere to sleep tonight", "choice_1"), ("needs", "shelter", "choice_1"),
    ("needs", "a place to stay", "choice_1"), ("needs", "donde quedarme", "choice_1"),
    ("needs", "talk to someone", "ask_person"), ("needs", "i need food", "choice_3"),
    ("needs", "a doctor", "choice_3"), ("needs", "abogado", "choice_3"), ("needs", "ayuda con inmigracion", "choice_3"),
    ("danger_offer", "yes pls", "yes"), ("danger_offer", "k", "yes"), ("danger_offer", "yea sure", "yes"),
    ("danger_offer", "si gracias", "yes"), ("danger_offer", "sip", "yes"), ("danger_offer", "va", "yes"),
    ("danger_offer", "esta bien", "yes"), ("danger_offer", "no problem", "yes"),
    ("danger_offer", "no thx", "no"), ("danger_offer", "not tonight", "no"), ("danger_offer", "maybe later", "no"),
    ("danger_offer", "nel", "no"), ("danger_offer", "mejor no", "no"), ("danger_offer", "ahorita no", "no"),
    ("danger_offer", "todavia no", "no"), ("danger_offer", "i dont want one", "no"), ("danger_offer", "no quiero", "no"),
    ("offer_advocate", "im good thanks", "no"), ("offer_advocate", "yes text me here", "yes"),
    ("triage_shelter", "nowhere to go", "no"), ("triage_shelter", "si tengo donde quedarme", "yes"),
    ("triage_age", "im 16", "yes"), ("triage_age", "tengo 15 años", "yes"), ("triage_age", "no im 24", "no"),
    ("triage_hurt", "not hurt", "no"), ("triage_hurt", "my arm, he broke it", "yes"),
    ("triage_contact", "no he reads my phone", "danger_quiet"), ("triage_contact", "si", "yes"),
    ("triage_window", "in the morning", "choice_1"), ("triage_window", "2pm", "choice_2"),
    ("triage_window", "en la noche", "choice_3"), ("triage_window", "yo les escribo", "choice_4"),
])
def test_free_text_answers_to_every_question(state, body, expected):
    fields = {"priority": Priority.URGENT} if state == "danger_offer" else {}
    assert trigger(body, state, **fields) == expected


@pytest.mark.parametrize("body, need, line", [
    ("i need food", "food", "Food: dial 211"), ("a doctor pls", "medical", "Medical:"),
    ("necesito un abogado", "legal", "Legal:"), ("ayuda con inmigracion", "immigration", "Migración:"),
])
def test_each_other_need_gets_its_own_resources(body, need, line):
    outcome = step(body, "needs", lang="es" if "necesito" in body or "inmigracion" in body else "en")
    assert outcome.intent == "choice_3"
    assert line in outcome.replies[-1] and len(outcome.replies[-1].splitlines()) == 1


@pytest.mark.parametrize("body", ["cant talk hes watching", "no puedo hablar me vigilan", "he reads my phone dont text me"])
def test_danger_with_cant_talk_is_one_discreet_line_an_urgent_request_and_no_first_text(body):
    outcome = step(body, "safety_check")
    assert outcome.intent == "danger_quiet" and len(outcome.replies) == 1
    assert "911" not in outcome.replies[0] and len(outcome.replies[0]) <= 40
    assert outcome.conversation.state == "quiet" and outcome.conversation.contact_ok is False
    assert [e.priority for e in outcome.effects if isinstance(e, RequestAdvocate)] == [Priority.URGENT]


def test_danger_comes_first_and_the_need_is_kept_on_the_request():
    outcome = step("he hit me and i need a place tonight", "safety_check")
    assert outcome.intent == "danger" and outcome.conversation.priority is Priority.URGENT
    assert outcome.conversation.answers["also needs"] == "a safe place tonight"
    assert [s["category"] for s in outcome.conversation.danger_signals] == ["violence"]
    assert outcome.conversation.danger_signals[0]["said"] == "he hit me and i need a place tonight"


def test_with_an_advocate_danger_in_words_is_flagged_to_them_and_the_bot_says_nothing():
    outcome = step("he is outside", "with_advocate", advocate="adv-0101", advocate_name="Rosa", priority=Priority.HIGH)
    assert outcome.replies == [] and outcome.conversation.priority is Priority.URGENT
    assert outcome.effects[0].danger is True


@pytest.mark.parametrize("facts", [TurnFacts(), NIGHT], ids=["day", "night"])
def test_the_safety_question_means_the_same_at_every_hour(facts):
    first = step("hi", facts=facts)
    assert "2 in danger or need help now" in first.replies[0]
    second = ENGINE.step(first.conversation, Inbound("SM2", ADDRESS, "2"), 20.0, facts)
    assert second.conversation.state == "danger_offer" and second.conversation.priority is Priority.URGENT


def test_an_answer_that_is_the_danger_the_question_asks_about_is_an_answer():
    outcome = step("tengo 15 años", "triage_age", facts=NIGHT)
    assert outcome.intent == "yes" and outcome.conversation.state == "triage_hurt"
    assert "under_18" in outcome.conversation.risks


# --- the data is checked at start-up, naming the file and line -------------------------------------
def broken(tmp_path: Path, old: str, new: str) -> Path:
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    path = flows / "understanding.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line)


def test_a_pattern_that_can_never_match_stops_start_up_naming_its_line(tmp_path):
    # Read as a message, "gunnn" becomes "gun": written that way in the data it could never match.
    path = broken(tmp_path, '"(gun|guns|pistol|', '"(gunnn|guns|pistol|')
    with pytest.raises(UnderstandingError, match=rf"understanding\.yaml:{line_of(path, '(gunnn|')}: .*can never match"):
        Understanding.load(path)


def test_a_category_missing_a_language_stops_start_up(tmp_path):
    path = broken(tmp_path, '    es:\n      - "(pistola|', '    fr:\n      - "(pistola|')
    with pytest.raises(UnderstandingError, match=r"unknown language \['fr'\]"):
        Understanding.load(path)


def test_a_context_cancelling_an_unknown_category_stops_start_up(tmp_path):
    path = broken(tmp_path, "  - cancels: [fear,", "  - cancels: [feelings, fear,")
    with pytest.raises(UnderstandingError, match=r"understanding\.yaml:\d+: context: 'cancels' must list danger"):
        Understanding.load(path)


def test_figures_settling_an_unknown_category_stop_start_up_naming_the_line(tmp_path):
    path = broken(tmp_path, "    - cancels: [threat, control]\n      en: [mom,", "    - cancels: [hyperbole]\n      en: [mom,")
    with pytest.raises(UnderstandingError,
                       match=rf"understanding\.yaml:{line_of(path, '[hyperbole]')}: figures: 'cancels' must list danger"):
        Understanding.load(path)


def test_figures_without_the_people_who_may_mean_it_stop_start_up(tmp_path):
    path = broken(tmp_path, "figures:\n  people:", "figures:\n  folks:")
    with pytest.raises(UnderstandingError, match=r"'figures.people' is missing"):
        Understanding.load(path)


def test_a_nested_group_is_refused(tmp_path):
    path = broken(tmp_path, '"(gun|guns|pistol|', '"(gun|(guns|pistol)|')
    with pytest.raises(UnderstandingError, match=r"cannot hold another|must stand alone"):
        Understanding.load(path)


def test_a_state_answering_with_an_unknown_meaning_stops_start_up(tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", flows)
    survivor = flows / "survivor.yaml"
    survivor.write_text(survivor.read_text(encoding="utf-8").replace("choice_1: [place]", "choice_1: [palace]"),
                        encoding="utf-8")
    with pytest.raises(FlowError, match=r"survivor\.yaml:\d+: state 'needs': unknown meaning 'palace'"):
        Engine(load_content(ROOT / "config"), flows_dir=flows)


def test_a_new_phrase_is_a_data_change(tmp_path):
    path = broken(tmp_path, '      - "(gun|guns|pistol|', '      - "(slingshot|gun|guns|pistol|')
    assert Understanding.load(path).read("he has a slingshot").categories == ("weapon",)


# --- the statistical backstop (bot/danger_model.py, flows/danger_model.json) -------------------------
def test_the_shipped_model_was_trained_on_the_texts_in_the_repo():
    """Change the corpus or bench/heldout.yaml and this fails until `python bench/train_danger_model.py` is run."""
    from bench.train_danger_model import fingerprint, training_texts
    assert ENGINE.understanding.model.trained_on == fingerprint(training_texts())


def test_the_model_reads_n_grams_exactly_as_it_was_trained():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from bot.danger_model import char_wb_ngrams
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    for text in ("he is outside", "a", "no me dejan salir de la casa", "i am 15 and"):
        assert char_wb_ngrams(text, 2, 5) == analyzer(text)


def test_the_model_scores_a_message_as_scikit_learn_does(tmp_path):
    """bot/danger_model.py works out tf-idf and the logistic score with the standard library; an n-gram said
    twice ("he he", "ayuda ayuda", shared by two words), of characters or of words, must weigh as scikit-learn's
    sublinear tf weighs it, each kind l2-normalised on its own."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from bench.train_danger_model import features, write_model
    from bot.danger_model import DangerModel
    texts = ["he hit me", "he hits me again and again", "me pega", "ayuda ayuda por favor", "he is here now",
             "hi there", "thanks so much", "where is the clinic", "what time do you open", "gracias por todo"]
    vectorizer = features(min_df=1)
    model = LogisticRegression(C=4.0, max_iter=5000).fit(vectorizer.fit_transform(texts), np.array([1] * 5 + [0] * 5))
    write_model(tmp_path / "m.json", vectorizer, model, 0.6, [], [])
    ours = DangerModel.load(tmp_path / "m.json")
    assert ours.word_range == (1, 2) and "hit me" in ours.word_idf
    for body in ("he he he hit hit me", "ayuda ayuda ayuda", "the thermos there", "clinic", "zzz", "he hit me he hit me",
                 "me pega me pega", "gracias"):
        row = vectorizer.transform([body])
        # No n-gram it knows: no evidence, so 0 (scikit-learn would give the intercept alone).
        assert ours.probability(body) == (pytest.approx(model.predict_proba(row)[0, 1], abs=1e-4) if row.nnz else 0.0)


def test_the_model_only_adds_danger_where_the_patterns_found_none():
    understanding = ENGINE.understanding
    # Patterns decided: denied danger, a reassurance, a short answer. The model is not asked.
    for body in ("nobody is hurting me", "im safe now thanks", "no thx"):
        assert not understanding.asks_model(body)
        assert understanding.read(body).categories == ()
    # No pattern names these: the model is asked, and reads one as possible danger, the other not.
    indirect = "he said if i call anyone he will know"
    assert understanding.asks_model(indirect) and understanding.asks_model("my visa expires next month")
    assert understanding.read(indirect).categories == ("possible_danger",)
    assert understanding.read("my visa expires next month what are my options").categories == ()


def test_a_broken_model_file_stops_start_up_naming_it(tmp_path):
    from bot.danger_model import DangerModel, DangerModelError
    path = tmp_path / "danger_model.json"
    path.write_text('{"threshold": 2}', encoding="utf-8")
    with pytest.raises(DangerModelError, match=r"danger_model\.json: not a danger model"):
        DangerModel.load(path)


def test_a_need_said_only_in_the_dangers_own_words_is_not_added():
    outcome = step("they took my passport and i cant leave", "safety_check")
    assert outcome.intent == "danger" and "also needs" not in outcome.conversation.answers


def test_a_model_all_but_sure_of_danger_stands_against_an_idiom_but_never_against_a_reassurance():
    """Where the patterns set a message aside (an idiom, a figure of speech, a story) and found no danger, a
    backstop above `backstop.above` still raises it as possible danger: two readers disagree (rule 6). A
    reassurance said ("hes not here") settles a message whatever the model says."""
    from bot.danger_model import DangerModel, char_wb_ngrams
    set_aside = ("this job is killing me lol", "saw a movie where he locks her in the basement")
    reassured = ("hes not here", "estoy bien, no pasa nada")
    shipped = ENGINE.understanding
    for body in set_aside + reassured:
        assert not shipped.asks_model(body) and shipped.read(body).categories == (), body
    # A model that reads every one of these words as danger (p = 0.99995), beside the shipped patterns.
    grams = {g for body in set_aside + reassured for w in shipped.words(body).surface for g in char_wb_ngrams(w, 2, 5)}
    sure = Understanding._read(ROOT / "flows" / "understanding.yaml", None)
    sure.model = DangerModel((2, 5), 0.65, 10.0, {g: 1.0 for g in grams}, {}, "sure of danger")
    for body in set_aside:
        assert sure.read(body).categories == ("possible_danger",), body
    for body in reassured:
        assert sure.read(body).categories == (), body
    sure.sure_above = 1.0  # `above` left out of the file: never
    assert all(sure.read(body).categories == () for body in set_aside)


def test_the_model_may_overrule_only_a_soft_category_and_only_when_it_is_sure():
    understanding = ENGINE.understanding
    assert understanding.model.probability("i am so scared of my math final tomorrow omg") < 0.2
    assert understanding.read("im so scared of my math final tomorrow omg").categories == ()  # fear, overruled
    # Violence is never overruled, however the model reads it; nor a message too short for the model.
    assert understanding.read("he hit me with a pillow and we laughed").categories == ("violence",)
    assert understanding.read("kill").categories == ("threat",)
    for body in ("help me please now", "hes outside the door right now", "im hiding in the bathroom",
                 "tengo miedo de q me encuentre", "I can't leave"):
        assert understanding.read(body).categories, body


def test_a_model_sure_a_long_message_is_not_danger_overrules_any_category_but_never_a_must_catch_phrase():
    """`backstop.long`: a message of 15 words or more that the model finds all but certainly not danger is a day
    told with a danger word in it. A shorter message keeps what the patterns read, and so does a must-catch
    phrase at any length: the model may never overrule one."""
    from bot.danger_model import DangerModel, char_wb_ngrams
    day = "my uncle has a machete and we had a big family barbecue in the backyard all weekend, anyway do you have clinic info"
    short = "my uncle has a machete"
    sure = "it was a normal day at the farm and then he pulled a knife on me and said nobody would know"
    shipped = ENGINE.understanding
    assert shipped.read(short).categories == ("weapon",) and shipped.read(sure).danger
    grams = {g for body in (day, short, sure) for w in shipped.words(body).surface for g in char_wb_ngrams(w, 2, 5)}
    calm = Understanding._read(ROOT / "flows" / "understanding.yaml", None)
    calm.model = DangerModel((2, 5), 0.65, -10.0, {g: 1.0 for g in grams}, {}, "sure it is not danger")
    assert len(calm.words(day).surface) >= 15 and calm.read(day).categories == ()
    assert calm.read(short).categories == ("weapon",)  # too short to overrule a weapon
    assert "weapon" in calm.read(sure).categories  # "pulled a knife on me": must-catch
    # A blow or papers held (`never`) stand at any length: asked politely, the model reads a question.
    asked = "buenas tardes, quisiera saber si es normal que el encargado nos empuje cuando vamos lento en la obra"
    assert len(calm.words(asked).surface) >= 15 and "violence" in calm.read(asked).categories
    calm.overrule_long = (0, 0.0, frozenset())  # `long` left out of the file: never
    assert calm.read(day).categories == ("weapon",)


@pytest.mark.parametrize("line", ["  long: {words: 4, below: 0.2}", "  long: {words: 15, below: 0.7}", "  long: 15",
                                  "  long: {words: 15}"])
def test_the_backstop_long_overrule_needs_a_length_and_a_low_probability(tmp_path, line):
    path = broken(tmp_path, "  long: {words: 15, below: 0.2, never: [violence, documents, minor]}", line)
    with pytest.raises(UnderstandingError, match=r"understanding\.yaml:\d+.*'backstop.long'"):
        Understanding.load(path)


def test_the_backstop_must_be_sure_of_danger_to_stand_against_the_patterns(tmp_path):
    path = broken(tmp_path, "  above: 0.9", "  above: 0.4")
    with pytest.raises(UnderstandingError, match=r"understanding\.yaml:\d+.*'backstop.above' must be a probability over 0.5"):
        Understanding.load(path)


@pytest.mark.parametrize("old, new, what", [
    ("  overrules: [fear,", "  overrules: [worry, fear,", "overrules"),
    ("never: [violence, documents, minor]", "never: [violence, papers, minor]", "long.never")])
def test_the_backstop_may_name_only_known_categories(tmp_path, old, new, what):
    path = broken(tmp_path, old, new)
    with pytest.raises(UnderstandingError, match=rf"'backstop.{what}': unknown category '(worry|papers)'"):
        Understanding.load(path)


@pytest.mark.parametrize("text", [
    "my mom is gonna murder me if i miss curfew again", "my sister is gonna kill me, i spilled coffee on her dress",
    "mi mama me va a matar, se me quemo el arroz", "el profe nos va a matar con tanta tarea",
    "this heat is gonna kill us all", "my cat keeps me prisoner", "mis hijos me tienen secuestrada viendo pelis",
    "the gym trainer beat me up today", "nos dieron una paliza en el futbol del sabado",
    "in the movie the girl gets sold to a gang", "he's not going to hurt me, he's in jail",
    "ya se fue y no va a regresar", "que tipo de ayuda tienen",
])
def test_figures_of_speech_and_reassurances_are_not_danger(text):
    assert ENGINE.understanding.read(text).danger == ()


@pytest.mark.parametrize("text, category", [
    ("my dad said he would kill me if i told anyone", "threat"),  # secret: meant, whoever says it
    ("mi papa me va a matar si se entera que le escribo a la policia", "threat"),
    ("mi jefe me va a matar si me voy", "threat"),  # the boss is never a figure of speech
    ("my mom's boyfriend is going to kill me", "threat"),  # the nearest doer decides
    ("my dad hits me with a belt", "violence"),  # a parent's threat may be hyperbole, a blow is not
    ("me pego otra vez y los niños lo vieron", "violence"),  # the children saw it: they did not do it
    ("en el trabajo me encierran", "confinement"),  # work is where, not who
    ("un chavo de un juego en linea tiene fotos mias y dice q las manda a mi escuela", "threat"),
    ("i'm scared my dad will kill me", "fear"),
    ("my mom threatened to kill me", "threat"), ("mi mama me amenazo con matarme", "threat"),  # reported as a threat
    ("he is killing me", "threat"), ("my boyfriend is killing me", "threat"),  # "is killing me" of a person
    ("my sister said he is outside", "present_now"), ("mi hermana dice que el esta afuera", "present_now"),
    ("we were watching a movie and he pulled a gun on me", "weapon"), ("at work he kills me if i dont finish", "threat"),
    ("he will kill me if im late", "threat"),  # the boss's hyperbole ("my boss will kill me if im late") names the boss
])
def test_danger_stands_when_the_doer_may_mean_it(text, category):
    assert category in ENGINE.understanding.read(text).categories, ENGINE.understanding.read(text)


@pytest.mark.parametrize("text, category", [
    ("lol he said he will kill me", "threat"), ("jaja me quiere matar", "threat"),
    ("my uber is here and he is at the door", "present_now"), ("no rush but they took my passport", "documents"),
])
def test_a_context_marker_never_cancels_a_must_catch_phrase(text, category):
    assert category in ENGINE.understanding.read(text).categories, ENGINE.understanding.read(text)


@pytest.mark.parametrize("text", [
    "what if someone took my passport, what could i do", "y si alguien me quitara el pasaporte que podria hacer",
])
def test_a_supposition_governs_a_must_catch_phrase_in_its_own_sentence(text):
    assert ENGINE.understanding.read(text).danger == ()


@pytest.mark.parametrize("text, category", [
    ("i clean all day, no days off no pay", "debt"),  # a negation that is the danger is not undone by one before
    ("they say the cops will arrest me not them since im illegal", "immigration_threat"),  # "not them" ends there
    ("i dont think im safe tonight", "not_safe"), ("no creo que este segura aqui", "not_safe"),  # raised negation
    ("we get moved around so nobody can find us", "sold_moved"),
    ("my mom got drunk and hit me", "violence"),  # "and" before a verb keeps the subject, a parent's blow stands
    ("he grabbed a knife from the kitchen", "weapon"), ("she waved a kitchen knife at me", "weapon"),
])
def test_danger_read_through_negation_scope_and_kitchen_words(text, category):
    assert category in ENGINE.understanding.read(text).categories, ENGINE.understanding.read(text)


@pytest.mark.parametrize("text", [
    "my dog escaped the yard and hid under the porch",  # the dog does both
    "the knife set i ordered came today", "beat the eggs until stiff", "le dimos una paliza al otro equipo",
    "el frio de aqui me esta matando", "los pies me estan matando", "its not safe to drive on ice",
    "me encerre en el bano a llorar", "my roommate wont let me leave dishes in the sink",
    "these heels are killing me", "this student loan debt is killing me", "nos metieron una goliza",
])
def test_what_only_looks_like_danger_is_read_as_it_is_meant(text):
    assert ENGINE.understanding.read(text).danger == (), ENGINE.understanding.read(text)


@pytest.mark.parametrize("text", [
    "i was so scared back then but im safe now", "tuve mucho miedo esa vez pero ya estoy a salvo",  # a feeling then
    "lo deportaron el ano pasado y yo tengo la custodia de los ninos",  # someone else's story, the texter apart
    "cut my finger on the big knife making dinner, just a bandaid",  # a knife as a tool
    "my uncle is taking me hunting with his rifle",
])
def test_a_feeling_then_a_story_of_another_and_a_tool_are_not_danger(text):
    assert ENGINE.understanding.read(text).danger == (), ENGINE.understanding.read(text)


@pytest.mark.parametrize("text, category", [
    ("i was so scared, he hit me again last night, but im ok now", "violence"),  # a blow told now stands
    ("we got out and were hiding, he keeps calling", "hiding"),  # "were" is "we're" here
    ("my cousin got deported last year and now they say they will deport me", "immigration_threat"),
    ("we were cooking and he held the knife to my throat", "weapon"),  # a tool held at someone
    ("he goes hunting but keeps his rifle by the bed and says its for me", "weapon"),
    ("we were cooking dinner and he has a gun", "weapon"),  # a must-catch phrase, whatever the context
])
def test_the_same_words_told_now_or_against_someone_stay_danger(text, category):
    assert category in ENGINE.understanding.read(text).categories, ENGINE.understanding.read(text)


def test_a_context_that_asks_the_backstop_leaves_a_message_without_danger_words_to_it(tmp_path):
    # The tool context says how a weapon word is meant; with none in the message, the backstop still reads it.
    assert ENGINE.understanding.asks_model("i cooked dinner and he laughed and said next time it will be my throat")
    assert not ENGINE.understanding.asks_model("lol i cooked dinner and burned it again")
    path = broken(tmp_path, "    asks_backstop: true\n", "    asks_backstop: maybe\n")
    with pytest.raises(UnderstandingError, match=r"'asks_backstop' is true or false"):
        Understanding.load(path)


def test_a_short_message_is_read_once_and_remembered_as_read_afresh():
    """Most messages are the same few short answers: read once per process, the same reading after."""
    understanding = ENGINE.understanding
    for body in ("1", "yes", "no pasa nada", "he hit me", "tengo 15"):
        first = understanding.read(body)
        assert understanding.read(body) is first and first == understanding._reading(body), body
    long = "my boss keeps my passport and says i owe him for the trip"
    assert understanding.read(long) is not understanding.read(long)  # a long text is never kept
    assert understanding.read(long).categories
