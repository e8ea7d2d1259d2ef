"""The composition root: every store, service and client, built once per process from Settings.

The web app (app.py) and each RQ worker (messaging/worker.py) build their Lantern here; a worker never
imports app.py or builds Flask. Everything is built whole, in order, and never changed afterwards: the edges
get the few collaborators they use (their dependency objects), and every job module gets its own
(`Lantern.jobs`, handed to RQ through messaging/job_class.py)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Mapping, cast

from redis import Redis
from rq import Queue
from rq.serializers import JSONSerializer

from bot.advocates import AdvocateTexts
from bot.blocking import BlockDesk
from bot.engine import FLOWS_DIR, Engine
from bot.facts import LineFacts
from bot.handoff import AdvocateDesk
from bot.service import InboundService
from bot.web_chat import WebChatDesk
from config.console_content import CannedReply, load_canned_replies, load_places
from config.settings import Settings
from messaging import bursts, delivery, jobs, outreach, routing, shifts, web_chat
from messaging.bursts import WebChatBursts
from messaging.calls import MissedCalls
from messaging.delivery_rules import DeliveryRules
from messaging.escalation import Escalation
from messaging.inbound import Intake
from messaging.job_class import LanternJob, bound_job_class
from messaging.job_ids import QUEUE_NAME, URGENT_QUEUE_NAME
from messaging.messenger import RQMessenger
from messaging.outreach import OutreachMessaging
from messaging.postbox import Postbox
from messaging.routing import Router
from messaging.sender import ChannelSender, EchoSender, TwilioSender
from messaging.web_chat import WebChatSender
from store.audit import AuditLog
from store.blocks import BlockList
from store.connection import connect
from store.credentials import Credentials
from store.crypto import Cipher
from store.delivery import DeliveryStates
from store.demo_phones import DemoPhones
from store.memory_gauge import MemoryGauge
from store.misreads import Misreads
from store.offers import Offers
from store.outbox import Outbox
from store.outreach import Outreaches
from store.redis_store import RedisStore
from store.replication import ReplicaWait
from store.reports import ReportCounters
from store.roster import Roster
from store.safety_word import SafetyWords
from store.sessions import SessionStore
from store.shelters import ShelterBoard
from store.spool import Spool
from store.stats import RequestStats
from store.turn_extras import OutreachFacts
from store.turn_write import TurnWrite
from store.two_factor import TwoFactor
from store.webchat import WebChats
from store.whatsapp_window import WhatsAppWindows

log = logging.getLogger("lantern")
EMBEDDED_BANNER = (
    "Lantern is running on the embedded in-process store (no REDIS_URL): nothing is kept "
    "when it stops, and jobs run inline. Set REDIS_URL for anything real."
)
Auditor = Callable[[AuditLog, str], Callable[..., None]]  # (audit log, channel outside the console) -> audit


@dataclass(frozen=True)
class Stores:
    """The line's Redis-backed stores, one of each per process."""

    redis: Redis
    cipher: Cipher
    store: RedisStore
    roster: Roster
    outbox: Outbox
    stats: RequestStats
    shelters: ShelterBoard
    whatsapp: WhatsAppWindows
    audit: AuditLog
    outreaches: Outreaches
    safety_words: SafetyWords
    reports: ReportCounters
    web_chats: WebChats
    demo_phones: DemoPhones | None
    deliveries: DeliveryStates
    offers: Offers
    blocks: BlockList
    credentials: Credentials
    sessions: SessionStore
    two_factor: TwoFactor
    misreads: Misreads
    memory: MemoryGauge
    replicas: ReplicaWait | None  # WAIT for a replica after each turn's write, when the Redis has replicas


@dataclass(frozen=True)
class Lantern:
    """Everything one process runs with, built once from Settings; the edges and jobs get their parts."""

    settings: Settings
    stores: Stores
    engine: Engine
    texts: AdvocateTexts
    queue: Queue
    urgent_queue: Queue
    sender: ChannelSender
    postbox: Postbox
    messenger: RQMessenger
    desk: AdvocateDesk[TurnWrite]
    service: InboundService[TurnWrite]
    web_desk: WebChatDesk[TurnWrite]
    blocking: BlockDesk[TurnWrite]
    intake: Intake
    missed_calls: MissedCalls
    jobs: Mapping[str, object]  # each job module's dependency object, by module name
    delivery_jobs: delivery.DeliveryJobs  # also the webhooks' status callbacks
    job_class: type[LanternJob]  # the RQ job class that hands them in (messaging/job_class.py)
    safety_message: str
    store_kind: str
    canned_replies: dict[str, tuple[CannedReply, ...]]

def build_lantern(settings: Settings, redis: Redis | None = None, auditor: Auditor | None = None) -> Lantern:
    """Build every client from Settings, whole, in order.

    `redis`: a client of the caller's own (a test's, that fails at its Nth command); else from Settings.
    `auditor`: how the desks write the audit stream (the app's says whether it came from the console)."""
    stores = build_stores(settings, redis if redis is not None else connect_redis(settings))
    engine = Engine(settings.content)
    texts = AdvocateTexts(FLOWS_DIR / "advocate.yaml")
    # The queues' job class hands each job its module's dependencies, which need the queues: the table is
    # filled below, before any job can run (on the embedded store, jobs run inline as they are enqueued).
    job_table: dict[str, object] = {}
    job_class = bound_job_class(job_table)
    queue, urgent_queue = (Queue(name, connection=stores.redis, is_async=not settings.inline_jobs,
                                 serializer=JSONSerializer, job_class=job_class)
                           for name in (QUEUE_NAME, URGENT_QUEUE_NAME))
    postbox = Postbox(queue, urgent_queue, stores.outbox, texts, settings.content.org,
                      settings.content.triage.minor_page_note, stores.stats, jobs.send_message, jobs.send_batch)
    router = Router(postbox, stores.roster, stores.offers, settings.content.handoff, stores.store, engine)
    escalation = Escalation(queue, settings.content.org, jobs.escalate)
    messenger = build_messenger(settings, stores, postbox, router, escalation, texts)
    audit = auditor or sms_auditor
    desk, service = build_service(settings, stores, messenger, texts, engine, audit)
    sender = build_sender(settings, stores, queue)
    web_desk = WebChatDesk(stores.store, service, messenger, engine)
    job_table.update(job_dependencies(settings, stores, sender, postbox, router, escalation, texts, engine, queue,
                                      web_desk))
    lantern = Lantern(
        settings=settings, stores=stores, engine=engine, texts=texts, queue=queue, urgent_queue=urgent_queue,
        sender=sender, postbox=postbox, messenger=messenger, desk=desk, service=service, web_desk=web_desk,
        blocking=BlockDesk(stores.store, stores.blocks, messenger, engine.keywords, audit(stores.audit, "cli")),
        intake=Intake(service, Spool(settings.spool_dir, stores.cipher), replicas=stores.replicas),
        missed_calls=MissedCalls(stores.store, stores.blocks, messenger, stores.reports),
        jobs=job_table, delivery_jobs=cast(delivery.DeliveryJobs, job_table[delivery.__name__]), job_class=job_class,
        safety_message=static_safety_message(settings),
        store_kind="embedded" if settings.embedded else "redis",
        canned_replies=load_canned_replies(settings.config_dir),
    )
    if not settings.inline_jobs:  # a private embedded store has no scheduler to run it
        shifts.schedule_shift_watch(queue, settings.content.hours)
    return lantern


def build_stores(settings: Settings, redis: Redis) -> Stores:
    org, cipher, lookup = settings.content.org, Cipher(settings.data_keys), settings.lookup_key
    retention = int(org.retention.total_seconds())
    zone = settings.content.hours.zone
    roster, replicas = Roster(redis, cipher, lookup), replica_wait(settings, redis)
    return Stores(
        redis=redis, cipher=cipher, roster=roster, replicas=replicas,
        store=RedisStore(redis, cipher, lookup, org.retention, replicas=replicas),
        outbox=Outbox(redis, cipher, retention, replicas), stats=RequestStats(redis),
        shelters=ShelterBoard(redis, load_places(settings.config_dir), settings.timezone),
        whatsapp=WhatsAppWindows(redis, retention), audit=AuditLog(redis),
        outreaches=Outreaches(redis, roster, org.card_valid, zone),
        safety_words=SafetyWords(redis, cipher, retention), reports=ReportCounters(redis, zone),
        web_chats=WebChats(redis, cipher, lookup, org.retention),
        demo_phones=DemoPhones(redis, cipher, lookup) if settings.embedded else None,
        deliveries=DeliveryStates(redis, retention), offers=Offers(redis), blocks=BlockList(redis),
        credentials=Credentials(redis), sessions=SessionStore(redis), two_factor=TwoFactor(redis, cipher),
        misreads=Misreads(redis, cipher, retention), memory=MemoryGauge(redis),
    )


def build_service(settings: Settings, stores: Stores, messenger: RQMessenger, texts: AdvocateTexts, engine: Engine,
                  audit: Auditor) -> tuple[AdvocateDesk[TurnWrite], InboundService[TurnWrite]]:
    """The advocates' desk, and the service that runs each inbound message (a survivor's, or an advocate's)."""
    desk = AdvocateDesk(stores.store, stores.roster, messenger, texts, engine, audit=audit(stores.audit, "sms"),
                        safety_words=stores.safety_words, outcomes=settings.content.handoff.outcomes)
    service = InboundService(engine, stores.store, messenger, desk,
                             LineFacts(settings.content.hours, stores.shelters.available_tonight),
                             extras=OutreachFacts(stores.outreaches, stores.safety_words),
                             holding_line=messenger.holding_line)
    return desk, service


def build_messenger(settings: Settings, stores: Stores, postbox: Postbox, router: Router, escalation: Escalation,
                    texts: AdvocateTexts) -> RQMessenger:
    outreach_messaging = OutreachMessaging(postbox, stores.roster, texts, stores.outreaches, settings.content.org)
    gate = WebChatBursts(stores.web_chats, postbox.queue, settings.content.chat.limits)
    return RQMessenger(postbox, router, escalation, outreach_messaging, gate, stores.reports, stores.stats,
                       stores.whatsapp, texts)


def build_sender(settings: Settings, stores: Stores, queue: Queue) -> ChannelSender:
    """A web chat's messages go to its tab (after the same safety re-check); everything else to Twilio."""
    return ChannelSender(make_sender(settings, stores.demo_phones),
                         WebChatSender(stores.store, stores.web_chats, queue, settings.content.chat.idle_minutes))


def job_dependencies(settings: Settings, stores: Stores, sender: ChannelSender, postbox: Postbox, router: Router,
                     escalation: Escalation, texts: AdvocateTexts, engine: Engine, queue: Queue,
                     web_desk: WebChatDesk) -> dict[str, object]:
    """Each job module's dependency object, by the module's name (what messaging/job_class.py looks up)."""
    content, store = settings.content, stores.store
    retry_seconds = content.org.send_retry_seconds
    rules = DeliveryRules(stores.outbox, stores.whatsapp, stores.deliveries, store, postbox, texts, content.whatsapp)
    send = jobs.SendJobs(stores.outbox, stores.roster, store, content.hours, retry_seconds, sender, postbox, texts,
                         queue, stores.reports, rules, router, escalation, engine)
    return {
        jobs.__name__: send,
        delivery.__name__: delivery.DeliveryJobs(store, stores.whatsapp, stores.outbox, stores.deliveries, queue,
                                                 postbox, texts, rules, send, retry_seconds),
        shifts.__name__: shifts.ShiftJobs(store, stores.roster, postbox, texts, content.hours, stores.stats, queue),
        routing.__name__: routing.RoutingJobs(store, router),
        bursts.__name__: bursts.BurstJobs(stores.web_chats, store, stores.roster, postbox, texts),
        web_chat.__name__: web_chat.IdleChatJobs(stores.web_chats, content.chat.idle_minutes, store, queue, web_desk),
        outreach.__name__: outreach.OutreachJobs(store, router, escalation, postbox, content.hours, queue, engine,
                                                 stores.reports),
    }


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


def sms_auditor(audit: AuditLog, via: str = "sms") -> Callable[..., None]:
    """A desk's audit outside a web request (a worker, the CLI); the app's also tells the console's apart."""

    def record(event: str, advocate_id: str, code: str, detail: str = "") -> None:
        audit.record(event, advocate_id, code, via=via, detail=detail)

    return record
