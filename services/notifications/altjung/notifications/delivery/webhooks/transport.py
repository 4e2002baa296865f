"""A requests adapter whose connections resolve, check and pin the peer address themselves."""

from __future__ import annotations

import socket
import sys
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import requests
from requests.adapters import DEFAULT_POOLBLOCK, HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util import connection

from altjung.notifications.delivery.errors import RefusedAddress
from altjung.notifications.delivery.webhooks.addresses import (
    AddressPolicy,
    Resolver,
    resolve_checked,
    system_resolve,
)

#: Connections kept open per endpoint host in one session.
DEFAULT_POOL_MAXSIZE = 16
#: Endpoint hosts whose pools one session keeps.
DEFAULT_POOL_CONNECTIONS = 64
#: Resolved addresses tried, in order, before a connection attempt gives up.
MAX_ADDRESSES_TRIED = 3
#: Sent as User-Agent with every webhook.
USER_AGENT = "AltJung-Webhooks/1.0"


class _GuardedConnectionMixin:
    """Replaces urllib3's `_new_conn`: resolve once, check every address, connect to one."""

    address_policy: AddressPolicy = AddressPolicy()  # the strict production policy
    resolve: Resolver = staticmethod(system_resolve)
    plaintext: bool

    def _new_conn(self) -> socket.socket:
        conn: Any = self
        try:
            addresses = resolve_checked(conn._dns_host, conn.port, policy=self.address_policy,
                                        resolve=self.resolve, plaintext=self.plaintext)
        except (socket.gaierror, UnicodeError) as exc:
            raise NameResolutionError(conn.host, conn, exc) from exc
        last_error: OSError | None = None
        for address in addresses[:MAX_ADDRESSES_TRIED]:
            try:
                sock = connection.create_connection(
                    (str(address), conn.port), conn.timeout,
                    source_address=conn.source_address, socket_options=conn.socket_options)
            except OSError as exc:  # includes TimeoutError; the next address may answer
                last_error = exc
                continue
            sys.audit("http.client.connect", conn, conn.host, conn.port)
            return sock
        if isinstance(last_error, TimeoutError):
            raise ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})")
        raise NewConnectionError(conn, f"Failed to establish a new connection: {last_error}")


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    """Plain http: the policy lets it reach loopback only, and only in development."""

    plaintext = True


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    """https to the checked address; SNI and the certificate check still use the host name."""

    plaintext = False


class GuardedAdapter(HTTPAdapter):
    """Mount on a session so every connection it opens obeys an AddressPolicy."""

    def __init__(self, *, policy: AddressPolicy, resolve: Resolver = system_resolve,
                 pool_connections: int = DEFAULT_POOL_CONNECTIONS,
                 pool_maxsize: int = DEFAULT_POOL_MAXSIZE) -> None:
        self.policy = policy
        self.resolve = resolve
        super().__init__(pool_connections=pool_connections, pool_maxsize=pool_maxsize,
                         max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int,
                         block: bool = DEFAULT_POOLBLOCK, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        bound = {"address_policy": self.policy, "resolve": staticmethod(self.resolve)}
        http_conn = type("GuardedHTTPConnection", (GuardedHTTPConnection,), bound)
        https_conn = type("GuardedHTTPSConnection", (GuardedHTTPSConnection,), bound)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,),
                         {"ConnectionCls": http_conn}),
            "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": https_conn}),
        }

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """Never: through a proxy the policy would check the proxy's address, not the endpoint's."""
        raise RefusedAddress(proxy, "proxy", "a proxy")


def make_session(*, policy: AddressPolicy, resolve: Resolver = system_resolve,
                 pool_connections: int = DEFAULT_POOL_CONNECTIONS,
                 pool_maxsize: int = DEFAULT_POOL_MAXSIZE) -> requests.Session:
    """A pooled session for webhook deliveries; build one per worker and reuse it."""
    session = requests.Session()
    session.trust_env = False  # no proxies, .netrc credentials or CA bundles from the environment
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # endpoints set none
    session.headers["User-Agent"] = USER_AGENT
    adapter = GuardedAdapter(policy=policy, resolve=resolve, pool_connections=pool_connections,
                             pool_maxsize=pool_maxsize)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
