"""IT's settings for reaching HQ, against the real HQ behind real TLS and a real proxy: a force's own
certificate authority (as a file, or in the operating system's store), a proxy, and nothing taken from the
environment unless IT says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.paths import AppPaths, system_config_file
from trainer_desk.store import outbox
from trainer_desk.sync.client import HqClient, HqNetwork, SyncError
from trainer_desk.workspace import Workspace, open_workspace

from .network import Authority, authority, forward_proxy, server_certificate, tls_front
from .test_sync import register_people

pytestmark = pytest.mark.any_database  # how the laptop reaches HQ (TLS, proxy): HQ's database plays no part

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def force_ca(tmp_path: Path) -> Authority:
    return authority(tmp_path, "Northshire Police Root CA")


@pytest.fixture
def hq_over_tls(hq: Hq, force_ca: Authority, tmp_path: Path) -> Iterator[str]:
    """The real HQ behind a TLS front whose certificate the force's own CA signed."""
    with tls_front(hq.port, *server_certificate(tmp_path, force_ca)) as url:
        yield url


@pytest.fixture(autouse=True)
def _no_proxy_from_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def laptop(tmp_path: Path, it_settings: str = "", name: str = "laptop") -> Workspace:
    system = system_config_file()
    system.parent.mkdir(parents=True, exist_ok=True)
    system.write_text(it_settings, encoding="utf-8")
    return open_workspace(AppPaths.resolve(tmp_path / name))


def enroll_and_sync(workspace: Workspace, hq: Hq, url: str) -> None:
    hq_link.enroll(workspace, url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    register_people(workspace, 4)
    report = hq_link.sync_once(workspace)
    assert report.pushed == 5 and outbox.waiting_count(workspace.db) == 0


def test_a_force_ca_file_lets_the_laptop_reach_hq(
    tmp_path: Path, hq: Hq, hq_over_tls: str, force_ca: Authority
) -> None:
    plain = laptop(tmp_path, name="plain")
    try:
        with pytest.raises(SyncError) as caught:
            hq_link.enroll(plain, hq_over_tls, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    finally:
        plain.close()
    assert caught.value.kind == "refused" and "certificate could not be verified" in caught.value.message
    assert "hq_ca_file" in caught.value.message  # says what IT can do
    workspace = laptop(tmp_path, f'hq_ca_file = "{force_ca.pem}"\n')
    try:
        enroll_and_sync(workspace, hq, hq_over_tls)
    finally:
        workspace.close()
    assert hq_records.count_records(hq.engine, "attendance") == 4


def test_the_operating_systems_store_when_it_says_so(
    tmp_path: Path, hq: Hq, hq_over_tls: str, force_ca: Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux the system store is OpenSSL's: here, the force's CA file named by SSL_CERT_FILE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(force_ca.pem))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with pytest.raises(SyncError, match="certificate could not be verified"):
        HqClient(hq_over_tls).enroll("code", "laptop")  # the bundled list knows nothing of the force's CA
    workspace = laptop(tmp_path, 'hq_certificates = "system"\n')
    try:
        enroll_and_sync(workspace, hq, hq_over_tls)
    finally:
        workspace.close()


def test_a_certificate_nobody_configured_is_still_refused(
    tmp_path: Path, hq: Hq, force_ca: Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(force_ca.pem))
    stranger = authority(tmp_path, "Someone Else")
    with tls_front(hq.port, *server_certificate(tmp_path, stranger)) as url:
        for network in (
            HqNetwork(ca_file=str(force_ca.pem)),
            HqNetwork("system"),
            HqNetwork("system", str(force_ca.pem)),
            HqNetwork(),
        ):
            with pytest.raises(SyncError) as caught:
                HqClient(url, "a-token", network=network).changes(0)
            assert caught.value.kind == "refused", network


def test_a_certificate_for_another_host_is_refused(tmp_path: Path, hq: Hq, force_ca: Authority) -> None:
    """Signed by the force's own CA, but for another machine: the CA is trusted, the certificate is not."""
    with tls_front(hq.port, *server_certificate(tmp_path, force_ca, "hq.northshire.police.uk")) as url:
        for network in (HqNetwork(ca_file=str(force_ca.pem)), HqNetwork("system", str(force_ca.pem))):
            with pytest.raises(SyncError) as caught:
                HqClient(url, "a-token", network=network).changes(0)
            assert caught.value.kind == "refused", network


def test_a_certificate_not_yet_valid_points_at_the_laptop_s_clock_not_at_it_s_settings(
    tmp_path: Path, hq: Hq, force_ca: Authority
) -> None:
    """HQ's certificate from the force's CA, trusted by IT's settings, seen by a laptop whose clock is a year
    behind: it is "not yet valid", and the message blamed the certificate settings that were right."""
    future = server_certificate(tmp_path, force_ca, from_days=365)
    with tls_front(hq.port, *future) as url, pytest.raises(SyncError) as caught:
        HqClient(url, "a-token", network=HqNetwork(ca_file=str(force_ca.pem))).changes(0)
    assert caught.value.kind == "refused" and "Check the computer's date and time" in caught.value.message
    assert "hq_ca_file" not in caught.value.message


def test_a_ca_file_that_cannot_be_used_is_explained(tmp_path: Path, hq: Hq) -> None:
    missing = tmp_path / "no-such.pem"
    with pytest.raises(SyncError) as caught:
        HqClient(hq.url, network=HqNetwork(ca_file=str(missing)))
    assert caught.value.kind == "settings"
    assert caught.value.message.startswith(f"The certificate file IT set for HQ (hq_ca_file = {missing}) cannot be")
    garbage = tmp_path / "notes.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(SyncError, match="holds no certificate in PEM form"):
        HqClient(hq.url, network=HqNetwork("system", str(garbage)))


def test_every_request_goes_through_its_proxy(tmp_path: Path, hq: Hq) -> None:
    with forward_proxy() as (proxy, seen):
        workspace = laptop(tmp_path, f'hq_proxy = "{proxy}"\n')
        try:
            enroll_and_sync(workspace, hq, hq.url)
        finally:
            workspace.close()
    assert seen[0] == f"POST {hq.url}/v1/enroll"
    assert f"POST {hq.url}/v1/push" in seen and any(s.startswith(f"GET {hq.url}/v1/changes?") for s in seen)


def test_https_through_the_proxy_is_verified_against_the_system_store(
    tmp_path: Path, hq: Hq, hq_over_tls: str, force_ca: Authority, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(force_ca.pem))
    host = hq_over_tls.removeprefix("https://")
    with forward_proxy() as (proxy, seen):
        workspace = laptop(tmp_path, f'hq_certificates = "system"\nhq_proxy = "{proxy}"\n')
        try:
            enroll_and_sync(workspace, hq, hq_over_tls)
        finally:
            workspace.close()
        assert seen and set(seen) == {f"CONNECT {host}"}
        stranger = authority(tmp_path, "Someone Else")
        with tls_front(hq.port, *server_certificate(tmp_path, stranger)) as other:
            network = HqNetwork("system", proxy=proxy)
            with pytest.raises(SyncError) as caught:
                HqClient(other, "a-token", network=network).changes(0)
    assert caught.value.kind == "refused"


def test_the_environment_is_ignored_unless_it_says_system(
    tmp_path: Path, hq: Hq, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proxy variables are used only with hq_proxy = "system"; a netrc entry is never used (it would replace
    the device token)."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with forward_proxy() as (proxy, seen):
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(name, proxy)
        direct = laptop(tmp_path, name="direct")
        try:
            enroll_and_sync(direct, hq, hq.url)
        finally:
            direct.close()
        assert seen == []
        proxied = laptop(tmp_path, 'hq_proxy = "system"\n', name="proxied")
        try:
            enroll_and_sync(proxied, hq, hq.url)
        finally:
            proxied.close()
        assert seen and all(s.split()[1].startswith(f"{hq.url}/v1/") for s in seen)
        seen.clear()
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        HqClient(hq.url, network=HqNetwork(proxy="system")).enroll(
            hq_devices.issue_code(hq.engine, "100234", "NORTH"), "laptop"
        )
        assert seen == []  # the system's own exceptions are honoured too


def test_a_proxy_that_cannot_be_reached_is_named(hq: Hq) -> None:
    client = HqClient(hq.url, "a-token", network=HqNetwork(proxy="http://127.0.0.1:9"), sleep=lambda s: None)
    with pytest.raises(SyncError) as caught:
        client.changes(0)
    assert caught.value.kind == "offline" and "the proxy set in hq_proxy could not be reached" in caught.value.message
