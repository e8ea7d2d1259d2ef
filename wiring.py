"""The composition root: every store, service and client, built once per process from Settings.

The web app (app.py) and the RQ workers (messaging/runtime.py) both build their Lantern here; a
worker never imports app.py or builds Flask."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from bot.advocates import AdvocateTexts
from bot.engine import FLOWS_DIR, Engine
from bot.facts import LineFacts
from bot.blocking import BlockDesk
from bot.handoff import AdvocateDesk
from bot.service import InboundService
from bot.web_chat import WebChatDesk
from config.console_content import CannedReply, load_canned_replies, load_places
from config.settings import Settings
from messaging import runtime
from messaging.bursts import WebChatBursts
from messaging.intake import Intake
from messaging.job_ids import QUEUE_NAME, URGENT_QUEUE_NAME
from messaging.messenger import RQMessenger
from messaging.outreach import OutreachMessaging
from messaging.routing import Router
from messaging.sender import ChannelSender, EchoSender, TwilioSender
from messaging.shifts import schedule_shift_watch
from messaging.web_chat import WebChatSender
from store.audit import AuditLog
from store.blocks import BlockList
from store.connection import connect
from store.credentials import Credentials
from store.crypto import Cipher
from store.delivery import DeliveryStates
from store.demo_phones import DemoPhones
from store.memory import MemoryGauge
from store.offers import Offers
from store.outbox import Outbox
from store.outreach import Outreaches
from store.reports import ReportCounters
from store.misreads import Misreads
from store.safety_word import SafetyWords
from store.redis_store import RedisStore
from store.replication import ReplicaWait
from store.roster import Roster
from store.sessions import SessionStore
from store.shelters import ShelterBoard
from store.spool import Spool
from store.stats import RequestStats
from store.turn_extras import OutreachFacts
from store.two_factor import TwoFactor
from store.webchat import WebChats
from store.whatsapp_window import WhatsAppWindows

log = logging.getLogger("lantern")
EMBEDDED_BANNER = (
    "Lantern is running on the embedded in-process store (no REDIS_URL): nothing is kept "
    "when it stops, and jobs run inline. Set REDIS_URL for anything real."
)


@dataclass
class Lantern:
    """Everything the edges need, built once per process from Settings."""

    settings: Settings
    redis: Redis
    store: RedisStore
    roster: Roster
    outbox: Outbox
    engine: Engine
    texts: AdvocateTexts
    queue: Queue
    sender: ChannelSender
    messenger: RQMessenger
    desk: AdvocateDesk
    service: InboundService
    stats: RequestStats
    safety_message: str
    store_kind: str
    audit: AuditLog
    credentials: Credentials
    sessions: SessionStore
    shelters: ShelterBoard
    canned_replies: dict[str, tuple[CannedReply, ...]]
    whatsapp: WhatsAppWindows
    deliveries: DeliveryStates
    web_chats: WebChats | None = None
    intake: Intake | None = None
    blocking: BlockDesk | None = None
    memory: MemoryGauge | None = None
    web_desk: WebChatDesk | None = None
    demo_phones: DemoPhones | None = None  # the embedded line's /demo only
    outreaches: Outreaches | None = None
    safety_words: SafetyWords | None = None
    reports: ReportCounters | None = None
    two_factor: TwoFactor | None = None  # the console's second factors
    misreads: Misreads | None = None


def build_lantern(settings: Settings, redis: Redis | None = None) -> Lantern:
    """Build every client from Settings, and bind the result for the jobs of this process.

    `redis`: a client of the caller's own (a test's, that fails at its Nth command); else from Settings."""
    org = settings.content.org
    redis = redis if redis is not None else connect_redis(settings)
    cipher = Cipher(settings.data_keys)
    store = RedisStore(redis, cipher, settings.lookup_key, org.retention)
    roster = Roster(redis, cipher, settings.lookup_key)
    outbox = Outbox(redis, cipher, int(org.retention.total_seconds()))
    engine = Engine(settings.content)
    texts = AdvocateTexts(FLOWS_DIR / "advocate.yaml")
    # A private embedded store: jobs run inline, in this process, as they are enqueued.
    queue = Queue(QUEUE_NAME, connection=redis, is_async=not settings.inline_jobs, serializer=JSONSerializer)
    urgent_queue = Queue(URGENT_QUEUE_NAME, connection=redis, is_async=not settings.inline_jobs,
                         serializer=JSONSerializer)
    stats = RequestStats(redis)
    shelters = ShelterBoard(redis, load_places(settings.config_dir), settings.timezone)
    whatsapp = WhatsAppWindows(redis, int(org.retention.total_seconds()))
    messenger = RQMessenger(queue, outbox, roster, texts, settings.content, stats, urgent_queue, whatsapp)
    audit = AuditLog(redis)
    zone = settings.content.hours.zone
    outreaches = Outreaches(redis, roster, org.card_valid, zone)
    safety_words = SafetyWords(redis, cipher, int(org.retention.total_seconds()))
    reports = ReportCounters(redis, zone)
    messenger.reports = reports
    messenger.outreach = OutreachMessaging(messenger, outreaches, reports, org)
    desk = AdvocateDesk(store, roster, messenger, texts, engine, audit=sms_auditor(audit), safety_words=safety_words)
    web_chats = WebChats(redis, cipher, settings.lookup_key, org.retention)
    demo_phones = DemoPhones(redis, cipher, settings.lookup_key) if settings.embedded else None
    # A web chat's messages go to its tab (after the same safety re-check); everything else to Twilio.
    sender = ChannelSender(make_sender(settings, demo_phones),
                           WebChatSender(store, web_chats, queue, settings.content.chat.idle_minutes))
    lantern = Lantern(
        settings=settings, redis=redis, store=store, roster=roster, outbox=outbox, engine=engine, texts=texts,
        queue=queue, sender=sender, messenger=messenger, desk=desk,
        service=InboundService(engine, store, messenger, desk,
                               LineFacts(settings.content.hours, shelters.available_tonight),
                               extras=OutreachFacts(outreaches, safety_words)),
        stats=stats, safety_message=static_safety_message(settings),
        store_kind="embedded" if settings.embedded else "redis", audit=audit, credentials=Credentials(redis),
        sessions=SessionStore(redis), shelters=shelters,
        canned_replies=load_canned_replies(settings.config_dir), web_chats=web_chats, demo_phones=demo_phones,
        outreaches=outreaches, safety_words=safety_words, reports=reports,
        whatsapp=whatsapp, deliveries=DeliveryStates(redis, int(org.retention.total_seconds())),
        two_factor=TwoFactor(redis, cipher),
    )
    lantern.web_desk = WebChatDesk(store, lantern.service, messenger, engine)
    store.writer.replicas = replica_wait(settings, redis)
    lantern.intake = Intake(lantern.service, Spool(settings.spool_dir, cipher), replicas=store.writer.replicas)
    lantern.memory = MemoryGauge(redis)
    lantern.misreads = Misreads(redis, cipher, int(org.retention.total_seconds()))
    messenger.gate = WebChatBursts(web_chats, queue, settings.content.chat.limits)
    desk.outcomes = settings.content.handoff.outcomes
    messenger.router = Router(messenger, Offers(redis), settings.content.handoff, store)
    lantern.service.holding_line = lambda outcome: messenger.router.holding_line(outcome, engine)
    lantern.blocking = BlockDesk(store, BlockList(redis), messenger, engine.keywords, sms_auditor(audit, "cli"))
    runtime.bind(lantern)
    if not settings.inline_jobs:  # a private embedded store has no scheduler to run it
        schedule_shift_watch(lantern)
    return lantern


def make_sender(settings: Settings, demo_phones: DemoPhones | None = None) -> TwilioSender | EchoSender:
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_number:
        return TwilioSender(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_number,
                            settings.twilio_api_base, settings.public_base_url + "/webhooks/status")
    if not settings.embedded:  # the embedded line says so in its banner
        log.warning("No Twilio account configured: messages are shown here instead of sent.")
    return EchoSender(phones=demo_phones)


def connect_redis(settings: Settings) -> Redis:
    """The line's Redis (store/connection.py: REDIS_URL, or the primary through Sentinel); else embedded."""
    if settings.redis_location.configured:
        return connect(settings.redis_location)
    import fakeredis

    log.warning(EMBEDDED_BANNER)
    return fakeredis.FakeRedis()


def replica_wait(settings: Settings, redis: Redis) -> ReplicaWait | None:
    """WAIT for one replica after each turn's write: with Sentinel always, with REDIS_URL when the primary
    has replicas; never on the embedded store, or with LANTERN_REPLICA_WAIT_MS=0."""
    if settings.embedded or settings.replica_wait_ms <= 0:
        return None
    return ReplicaWait(redis, settings.replica_wait_ms, always=bool(settings.redis_sentinels))


def static_safety_message(settings: Settings) -> str:
    """The message that needs nothing but config: 911 and the hotline, in English and Spanish."""
    org = settings.content.org
    return (
        f"If you are in danger, call {org.emergency_number}. National hotline: {org.hotline_call}, "
        f"or text {org.hotline_text}. / Si estás en peligro, llama al {org.emergency_number}. "
        f"Línea nacional: {org.hotline_call}, o textea al {org.hotline_text}."
    )




def sms_auditor(audit: AuditLog, via: str = "sms"):
    """A desk's audit outside a web request (a worker, the CLI); the app puts the console's in its place."""

    def record(event: str, advocate_id: str, code: str, detail: str = "") -> None:
        audit.record(event, advocate_id, code, via=via, detail=detail)

    return record
