"""Fixtures of the notifications tests: real loopback webhook receivers (HTTP, HTTPS), TLS material, and
the service on the embedded platform (a notifier with fast retries and a fake directory, an event emitter)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import sys
import threading
import time
import uuid as _uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from altjung.notifications.delivery import RetrySchedule
from tests.support import eventually

_SERVICE_ROOT = Path(__file__).resolve().parents[3] / "services" / "notifications"
if str(_SERVICE_ROOT) not in sys.path:  # until the service is installed into the venv
    sys.path.insert(0, str(_SERVICE_ROOT))

#: The name the test certificate is issued for; tests resolve it to 127.0.0.1 themselves.
TLS_HOST = "hooks.example.test"


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    client_port: int


@dataclass
class Receiver:
    """A webhook receiver on loopback whose answer depends on the path."""

    slow_seconds: float = 2.0
    large_bytes: int = 32 * 1024 * 1024
    failures_before_success: int = 2
    received: list[Received] = field(default_factory=list)
    write_failed: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, *, scheme: str = "http", host: str = "127.0.0.1") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [request.path for request in self.received]


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse can be observed

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            try:
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up first (the timeout tests)
                self.close_connection = True

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                                  self.client_address[1]))
                seen = sum(1 for request in receiver.received if request.path == self.path)
            if self.path == "/redirect":
                self._answer(302, headers={"Location": "/ok"})
            elif self.path == "/gone":
                self._answer(410, b"endpoint removed")
            elif self.path == "/error":
                self._answer(500, b"boom")
            elif self.path == "/flaky":
                self._answer(503 if seen <= receiver.failures_before_success else 200, b"")
            elif self.path == "/slow":
                time.sleep(receiver.slow_seconds)
                self._answer(200, b"late")
            elif self.path == "/large":
                self._send_large(200)
            elif self.path == "/redirect-large":
                self._send_large(302, {"Location": "/ok"})
            else:
                self._answer(200, b'{"ok":true}', {"Content-Type": "application/json"})

        def _send_large(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(receiver.large_bytes))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(receiver.large_bytes // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                receiver.write_failed.set()
                self.close_connection = True

    return Handler


def _serve(receiver: Receiver, context: ssl.SSLContext | None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    return server


@pytest.fixture
def receiver():
    """A plain-http receiver on 127.0.0.1."""
    receiver = Receiver()
    server = _serve(receiver, None)
    yield receiver
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class TlsMaterial:
    """A private CA and a server certificate for TLS_HOST, localhost and 127.0.0.1."""

    ca_path: Path
    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_path))


def _certificate(subject: str, key, issuer_name, issuer_key, *, ca: bool,
                 names: tuple[str, ...] = (), ips: tuple[str, ...] = ()) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    else:
        sans = [x509.DNSName(name) for name in names]
        sans += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ips]
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory) -> TlsMaterial:
    """Certificates made for this test run only."""
    directory = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate("Alt & Jung test CA", ca_key, None, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(TLS_HOST, key, ca_cert.subject, ca_key, ca=False,
                        names=(TLS_HOST, "localhost"), ips=("127.0.0.1",))
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (directory / "cert.pem").write_bytes(cert.public_bytes(pem))
    (directory / "key.pem").write_bytes(key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return TlsMaterial(directory / "ca.pem", directory / "cert.pem", directory / "key.pem")


@pytest.fixture
def tls_receiver(tls_material):
    """An https receiver on 127.0.0.1 whose certificate names TLS_HOST."""
    receiver = Receiver()
    server = _serve(receiver, tls_material.server_context())
    yield receiver
    server.shutdown()
    server.server_close()


# --- the notifications service on the embedded platform ------------------------------------------

#: Retries in tenths of seconds instead of hours.
FAST = RetrySchedule(delays=tuple(dt.timedelta(seconds=s) for s in (0, 0.1, 0.1, 0.2, 0.2, 0.3)), jitter=0.0)


class FakeDirectory:
    """identity and matching as the notifier asks them: contacts, coordinators, invitations, resets."""

    def __init__(self) -> None:
        self.contacts: dict[_uuid.UUID, dict] = {}
        self.coordinator_list: list[dict] = [{"email": "koordination@site.example", "display_name": "K"}]
        self.invitations: dict[_uuid.UUID, dict] = {}
        self.resets: dict[_uuid.UUID, dict] = {}
        self.calls: list[tuple] = []

    def contact(self, tenant_id, kind, person_id):
        self.calls.append(("contact", kind, person_id))
        return self.contacts.get(person_id)

    def coordinators(self, tenant_id):
        self.calls.append(("coordinators", tenant_id))
        return list(self.coordinator_list)

    def invitation(self, invitation_id, tenant_id):
        from altjung.notifications.directory import Gone

        self.calls.append(("invitation", invitation_id, tenant_id))
        if invitation_id not in self.invitations:
            raise Gone(str(invitation_id))
        return self.invitations[invitation_id]

    def password_reset(self, reset_id):
        from altjung.notifications.directory import Gone

        self.calls.append(("password_reset", reset_id))
        if reset_id not in self.resets:
            raise Gone(str(reset_id))
        return self.resets[reset_id]


@pytest.fixture
def notifier(platform) -> Iterator:
    """The embedded notifications engine with fast retries and a fake directory (restored afterwards)."""
    from altjung.notifications.notifier import notifier_for

    engine = notifier_for(platform.runtimes["notifications"])
    config, directory, mailer, resolve = engine.config, engine.directory, engine.mailer, engine.resolve
    engine.directory = FakeDirectory()
    engine.configure(config.replace(schedule=FAST, digest_delay=dt.timedelta(0)))
    yield engine
    engine.directory, engine.mailer, engine.resolve = directory, mailer, resolve
    engine.configure(config)


@pytest.fixture
def emit(platform) -> Callable[..., dict]:
    """Hand an event to notifications' consumer as the bus would (returns the envelope as sent)."""
    from altjung.events import Envelope
    from altjung.events.catalogue import event_class
    from altjung.kit.bus.consume import consume

    runtime = platform.runtimes["notifications"]

    def send(type_: str, site_id, /, *, envelope: dict | None = None, **payload) -> dict:
        if envelope is None:
            event = event_class(type_).from_payload({**event_class(type_).SAMPLE, **{
                k: str(v) if isinstance(v, _uuid.UUID) else v for k, v in payload.items()}})
            envelope = Envelope.wrap(event, tenant_id=_uuid.UUID(str(site_id)) if site_id else None).to_dict()
        consume(envelope, runtime.handlers[envelope["type"]], runtime=runtime, consumer="notifications")
        return envelope

    return send


@pytest.fixture
def site(make_site) -> dict:
    return make_site()


def wait_for(check: Callable[[], object], timeout: float = 10.0, interval: float = 0.05):
    """Poll until ``check`` returns something truthy."""
    return eventually(check, timeout=timeout, interval=interval)
