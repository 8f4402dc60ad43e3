"""`opsdocs publish`: each client's site where only that client can read it. The leak audit, per-client logins
served by a real nginx, sites encrypted in the browser and opened in Chromium, git pages, and the record."""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from tests.browser import chromium_path
from tests.conftest import EXAMPLE, ROOT, need

PASSWORDS = {"kestrel-shop": "Tq8#vLm2!Rz9@Kp4$Wx7%Hn3^Bd6", "acme-mill": "Zu4&cRt8!Nm3@Lq7$Vb2%Xs9^Kf5"}
LOGINS = {"kestrel-shop": ("kestrel-ops", "Kestrel-Login-Passphrase-2026!"), "acme-mill": ("acme-ops", "Acme-Login-Passphrase-2026!")}


def two_clients(root: Path) -> Path:
    """A project with the example engagement and a second client made from it, every name of it changed."""
    shutil.copytree(EXAMPLE, root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    other = root / "content" / "engagements" / "acme-mill"
    shutil.copytree(root / "content" / "engagements" / "kestrel-shop", other)
    for path in other.rglob("*.y*ml"):
        text = path.read_text(encoding="utf-8")
        for old, new in (("Kestrel", "Acme"), ("kestrel", "acme"), ("Miriam Albers", "Greta Holm"), ("Jonas Wirth", "Lars Berg")):
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    (root / "clients.yaml").write_text(
        "".join(f"{eid}:\n  users: {{{LOGINS[eid][0]}: \"{LOGINS[eid][1]}\"}}\n  password: \"{PASSWORDS[eid]}\"\n" for eid in PASSWORDS),
        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_clients(tmp_path_factory.mktemp("publish"))


def publish(root: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, ["publish", *args])
    finally:
        os.chdir(cwd)


# The leak audit


def test_a_clean_portfolio_passes_the_audit_and_a_planted_leak_stops_the_publish(tmp_path: Path) -> None:
    root = two_clients(tmp_path)
    clean = publish(root, "--all", "--to", "dir:out", "--dry-run")
    assert clean.exit_code == 0, clean.output
    assert "the leak audit passed for 2 client(s)" in clean.output and "would publish 2 clients" in clean.output
    runbook = root / "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"
    runbook.write_text(runbook.read_text().replace("owner: Priya Raman", "owner: Priya Raman (also on call for Acme Outdoor GmbH)"))
    leaked = publish(root, "kestrel-shop", "--to", "dir:out")
    assert leaked.exit_code == 1
    assert "kestrel-shop/engagements/kestrel-shop/runbooks/checkout-errors/index.html: 'Acme Outdoor GmbH' (names engagement " \
           "'acme-mill')" in leaked.output
    assert "kestrel-shop/search/search_index.json: 'Acme Outdoor GmbH'" in leaked.output
    assert not (root / "out").exists()  # nothing delivered
    runbook.write_text(runbook.read_text().replace(" (also on call for Acme Outdoor GmbH)", ""))
    symptoms = root / "content/engagements/kestrel-shop/runbooks/database-disk-full.yaml"
    internal = "The staging refresh overlaps our Sunday backup check and pages by mistake"  # an internal known issue
    symptoms.write_text(symptoms.read_text().replace("symptoms:\n", f"symptoms:\n  - {internal}\n", 1))
    leaked = publish(root, "kestrel-shop", "--to", "dir:out")
    assert leaked.exit_code == 1
    assert f"kestrel-shop/engagements/kestrel-shop/runbooks/database-disk-full/index.html: '{internal}' (an internal item " \
           "or internal_notes of 'kestrel-shop')" in leaked.output


def test_a_secret_of_the_monitoring_files_is_found_wherever_it_lands(tmp_path: Path) -> None:
    root = two_clients(tmp_path)
    page = root / "content/handbook/pages/on-call.md"
    page.write_text(page.read_text() + "\nThe webhook: https://hooks.example/kestrel/fake-webhook-token-Yt77\n")
    leaked = publish(root, "acme-mill", "--to", "dir:out")
    assert leaked.exit_code == 1
    assert "acme-mill/on-call/index.html: 'https://hooks.example/kestrel/fake-webhook-token-Yt77' (a secret from the " \
           "monitoring files of 'kestrel-shop')" in leaked.output


def test_a_bundle_holds_its_client_alone_and_a_second_publish_builds_nothing(clients: Path) -> None:
    result = publish(clients, "--all", "--to", "dir:plain", "--base-url", "https://docs.example.com/{engagement}/")
    assert result.exit_code == 0, result.output
    site = clients / "plain" / "sites" / "kestrel-shop"
    assert (site / "engagements/kestrel-shop/runbooks/database-disk-full/index.html").is_file()
    assert not (site / "engagements/acme-mill").exists()
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://docs.example.com/kestrel-shop/engagements/kestrel-shop/" in sitemap and "acme" not in sitemap.lower()
    index = json.loads((site / "search/search_index.json").read_text())
    assert not [d for d in index["docs"] if "acme" in (d["location"] + d["text"]).lower()]
    again = publish(clients, "--all", "--to", "dir:plain", "--base-url", "https://docs.example.com/{engagement}/")
    assert "published 2 clients (0 built, 2 unchanged)" in again.output
    status = publish(clients, "--status")
    assert "kestrel-shop: plain/sites/kestrel-shop at content:" in status.output and "(current)" in status.output
    record = json.loads((clients / "publish-record.json").read_text())
    assert record["kestrel-shop"]["files"]["sitemap.xml"] and record["kestrel-shop"]["target"]["access"] == "none"
    engagement = clients / "content/engagements/acme-mill/engagement.yaml"
    before = engagement.read_text()
    engagement.write_text(before.replace("schema_version: 1\n", "schema_version: 1\nlanguage: de\n", 1))
    try:
        assert "acme-mill: plain/sites/acme-mill" in (out := publish(clients, "--status").output) and "content changed since" in out
        edited = publish(clients, "--all", "--to", "dir:plain", "--base-url", "https://docs.example.com/{engagement}/")
        assert "published 2 clients (1 built, 1 unchanged)" in edited.output  # one edit, one client built again
        german = (clients / "plain/sites/acme-mill/index.html").read_text()
        assert '<html lang="de"' in german and "Betrieb" in german  # in the client's language
    finally:
        engagement.write_text(before)


def test_clear_errors_for_what_is_missing(clients: Path) -> None:
    assert "nowhere to publish 'kestrel-shop' to" in publish(clients, "kestrel-shop").output
    result = publish(clients, "kestrel-shop", "--to", "dir:x", "--access", "basic")
    assert result.exit_code == 1 and "has no users in the credentials file" in result.output
    inside = publish(clients, "kestrel-shop", "--to", "dir:x", "--access", "basic", "--credentials", "content/site.yaml")
    assert "is inside the content folder" in inside.output
    assert "git pages cannot ask for a login" in publish(clients, "kestrel-shop", "--to", "git:/nowhere", "--access", "basic",
                                                         "--credentials", "clients.yaml").output
    assert publish(clients).exit_code == 2  # neither ids nor --all


# Logins, served by nginx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(server_conf: Path, run: Path) -> tuple[int, subprocess.Popen]:
    """Debian's nginx on 127.0.0.1 with a server block opsdocs wrote (its `listen 80` moved to a free port)."""
    port = free_port()
    run.mkdir()
    (run / "server.conf").write_text(server_conf.read_text().replace("listen 80", f"listen 127.0.0.1:{port}"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"  {k}_temp_path {run}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (run / "nginx.conf").write_text(f"{user}pid {run}/nginx.pid;\nerror_log {run}/error.log;\nevents {{}}\nhttp {{\n"
                                    f"  access_log off;\n{temp}  include /etc/nginx/mime.types;\n  include {run}/server.conf;\n}}\n")
    process = subprocess.Popen(["nginx", "-c", str(run / "nginx.conf"), "-p", str(run), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return port, process
        except OSError:
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"nginx did not start: {process.stdout.read().decode() if process.stdout else ''}")


@pytest.fixture(scope="module")
def nginx(clients: Path):
    need(shutil.which("nginx") is not None, "nginx is not installed (apt-get install nginx-light)")
    result = publish(clients, "--all", "--to", "dir:served", "--access", "basic", "--credentials", "clients.yaml")
    assert result.exit_code == 0, result.output
    port, process = start_nginx(clients / "served/access/nginx.conf", clients / "nginx-run")
    yield port
    process.terminate()
    process.wait(timeout=10)


def get(port: int, path: str, login: tuple[str, str] | None = None, host: str | None = None) -> tuple[int, str]:
    """A request with the path sent exactly as written (no client-side clean-up of dots or slashes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", host)
    if login:
        conn.putheader("Authorization", "Basic " + base64.b64encode(":".join(login).encode()).decode())
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    conn.close()
    return response.status, body


def test_each_client_reads_its_own_site_and_nothing_else(nginx: int) -> None:
    a = LOGINS["kestrel-shop"]
    status, body = get(nginx, "/kestrel-shop/engagements/kestrel-shop/runbooks/database-disk-full/", a)
    assert status == 200 and "managed PostgreSQL" in body
    assert get(nginx, "/kestrel-shop/", a)[0] == 200
    assert get(nginx, "/acme-mill/", a)[0] == 401
    assert get(nginx, "/acme-mill/engagements/acme-mill/", a)[0] == 401
    assert get(nginx, "/", a)[0] == 401 and get(nginx, "/anything-else/", a)[0] == 401
    assert get(nginx, "/kestrel-shop/")[0] == 401  # no credentials
    assert get(nginx, "/kestrel-shop/", ("kestrel-ops", "wrong"))[0] == 401
    assert get(nginx, "/acme-mill/", LOGINS["acme-mill"])[0] == 200


@pytest.mark.parametrize("path", [
    "/kestrel-shop/../acme-mill/", "/kestrel-shop/%2e%2e/acme-mill/", "/kestrel-shop/%2E%2E/acme-mill/",
    "/kestrel-shop/..%2facme-mill/", "/kestrel-shop/..%2Facme-mill/", "//acme-mill/", "/kestrel-shop//../acme-mill/",
    "/kestrel-shop/./../acme-mill/index.html", "/kestrel-shop/%2e%2e%2facme-mill%2findex.html",
])
def test_path_tricks_never_return_another_clients_pages(nginx: int, path: str) -> None:
    status, body = get(nginx, path, LOGINS["kestrel-shop"])
    assert not (status == 200 and "Acme" in body), (path, status)


@pytest.mark.parametrize("path", [
    "/access/htpasswd/kestrel-shop", "/../access/htpasswd/kestrel-shop", "/kestrel-shop/../../access/htpasswd/kestrel-shop",
    "/kestrel-shop/%2e%2e/%2e%2e/access/htpasswd/kestrel-shop", "/kestrel-shop/.opsdocs-output", "/clients.yaml",
    "/kestrel-shop/../../clients.yaml",
])
def test_no_user_file_or_credentials_can_be_downloaded(nginx: int, path: str) -> None:
    status, body = get(nginx, path, LOGINS["kestrel-shop"])
    assert status != 200 and "$2b$" not in body and "Passphrase" not in body, (path, status)


def test_only_hashes_are_written_and_a_republish_keeps_them(clients: Path, nginx: int) -> None:
    users = (clients / "served/access/htpasswd/kestrel-shop").read_text()
    assert users.startswith("kestrel-ops:$2b$") and "Passphrase" not in users
    for path in (clients / "served").rglob("*"):
        if path.is_file():
            assert b"Passphrase" not in path.read_bytes() and PASSWORDS["kestrel-shop"].encode() not in path.read_bytes(), path
    again = publish(clients, "--all", "--to", "dir:served", "--access", "basic", "--credentials", "clients.yaml")
    assert again.exit_code == 0 and "Passphrase" not in again.output
    assert (clients / "served/access/htpasswd/kestrel-shop").read_text() == users  # the hash still matches: kept


# Encrypted in the browser


def test_an_encrypted_site_holds_no_text_and_opens_with_the_right_password(clients: Path) -> None:
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    result = publish(clients, "--all", "--to", "dir:locked", "--access", "encrypt", "--credentials", "clients.yaml")
    assert result.exit_code == 0, result.output
    site = clients / "locked/sites/kestrel-shop"
    sentences = ["managed PostgreSQL primary is running out of disk", "612 orders were packed a day late", "Priya Raman"]
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [s for s in sentences if s in text], path
    index = json.loads((site / "search/search_index.json").read_text())
    assert index["docs"] and all(doc["text"] == "" for doc in index["docs"])  # titles only
    port = free_port()
    server = subprocess.Popen(["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=clients / "locked/sites",
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        from tests.browser import launch

        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/kestrel-shop/engagements/kestrel-shop/runbooks/database-disk-full/")
            assert "managed PostgreSQL" not in page.inner_text("body")
            page.fill("#mkdocs-content-password", "not the password")
            page.press("#mkdocs-content-password", "Enter")
            page.wait_for_timeout(1000)
            assert "managed PostgreSQL" not in page.inner_text("body")
            page.fill("#mkdocs-content-password", PASSWORDS["kestrel-shop"])
            page.press("#mkdocs-content-password", "Enter")
            page.wait_for_function("document.body.innerText.includes('managed PostgreSQL')", timeout=10000)
            page.click("input.md-search__input")
            page.keyboard.type("Database disk")
            page.wait_for_selector(".md-search-result__item", timeout=10000)
            found = [e.inner_text() for e in page.query_selector_all(".md-search-result__item")]
            assert any("Database disk almost full" in f for f in found), found
            browser.close()
    finally:
        server.terminate()


# Git pages


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_git_pages_one_commit_per_publish_other_clients_untouched_and_a_refused_push_changes_nothing(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    root = two_clients(tmp_path)
    repo = tmp_path / "pages.git"
    git(tmp_path, "init", "--quiet", "--bare", str(repo))
    to = f"git:{repo}#pages"
    first = publish(root, "kestrel-shop", "--to", to)
    assert first.exit_code == 0, first.output
    assert "unchanged" in publish(root, "kestrel-shop", "--to", to).output  # the same site: no second commit
    assert len(git(repo, "rev-list", "pages").split()) == 1
    runbook = root / "content/engagements/kestrel-shop/runbooks/database-disk-full.yaml"
    runbook.write_text(runbook.read_text().replace("Write latency rises", "Write latency climbs"))
    assert publish(root, "kestrel-shop", "--to", to).exit_code == 0
    a_commits = git(repo, "rev-list", "pages").split()
    a_tree = git(repo, "rev-parse", "pages:kestrel-shop").strip()
    assert len(a_commits) == 2
    assert git(repo, "log", "-1", "--format=%s", "pages").strip() == "Publish kestrel-shop (handover 1.1)"
    assert publish(root, "acme-mill", "--to", to).exit_code == 0
    after = git(repo, "rev-list", "pages").split()
    assert after[1:] == a_commits  # A's commits are the history B's commit sits on, unchanged
    assert git(repo, "rev-parse", "pages:kestrel-shop").strip() == a_tree  # A's files untouched
    assert git(repo, "diff", "--name-only", "pages~1", "pages").split() and \
        all(p.startswith("acme-mill/") for p in git(repo, "diff", "--name-only", "pages~1", "pages").split())
    hook = repo / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'refused by policy' >&2\nexit 1\n")
    hook.chmod(0o755)
    runbook.write_text(runbook.read_text().replace("Write latency climbs", "Write latency rises"))
    refused = publish(root, "kestrel-shop", "--to", to)
    assert refused.exit_code == 1 and "was refused" in refused.output and "nothing was changed there" in refused.output
    assert git(repo, "rev-list", "pages").split() == after


def test_two_publishes_to_one_repository_at_once_are_refused(tmp_path: Path) -> None:
    import sys

    root = two_clients(tmp_path)
    to = f"git:{tmp_path / 'pages.git'}"
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "pages.git"))
    holder = subprocess.Popen(  # another publish, in another process, holding the repository's lock
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom generator.lock import holding\n"
         "from generator.project import Project\nfrom generator.publish import git_lock\nroot = Path(sys.argv[1])\n"
         "with holding(root, [git_lock(Project.at('content', root), sys.argv[2])], 'publish', False):\n"
         "    print('held', flush=True)\n    time.sleep(60)\n", str(root), to],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = publish(root, "kestrel-shop", "--to", to)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1 and "opsdocs publish, pid" in result.output, result.output
    assert git(tmp_path / "pages.git", "for-each-ref").strip() == ""  # nothing was pushed


# Backstage TechDocs

TECHDOCS_MKDOCS = ROOT / "tests" / ".cache" / "techdocs-venv" / "bin" / "mkdocs"


def test_the_techdocs_source_builds_strict_with_techdocs_core(clients: Path) -> None:
    need(TECHDOCS_MKDOCS.is_file(), "mkdocs-techdocs-core is not installed (make test-setup puts it in tests/.cache/techdocs-venv)")
    result = publish(clients, "kestrel-shop", "--to", "dir:backstage", "--techdocs")
    assert result.exit_code == 0, result.output
    source = clients / "backstage" / "techdocs" / "kestrel-shop"
    catalog = yaml.safe_load((source / "catalog-info.yaml").read_text())
    assert catalog["metadata"]["annotations"]["backstage.io/techdocs-ref"] == "dir:."
    assert catalog["spec"] == {"type": "documentation", "lifecycle": "production", "owner": "northwind-consulting",
                               "system": "kestrel-shop"}
    assert yaml.safe_load((source / "mkdocs.yml").read_text())["plugins"] == ["techdocs-core"]
    built = subprocess.run([str(TECHDOCS_MKDOCS), "build", "--strict", "--site-dir", str(clients / "techdocs-site")], cwd=source,
                           capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr[-3000:]
    page = (clients / "techdocs-site/engagements/kestrel-shop/runbooks/database-disk-full/index.html").read_text()
    assert "managed PostgreSQL" in page and "acme" not in page.lower()
    assert "--techdocs takes no --access" in publish(clients, "kestrel-shop", "--to", "dir:b", "--techdocs", "--access", "encrypt",
                                                     "--credentials", "clients.yaml").output


def test_each_client_on_its_own_host_name(clients: Path) -> None:
    need(shutil.which("nginx") is not None, "nginx is not installed (apt-get install nginx-light)")
    engagement = clients / "content/engagements/acme-mill/engagement.yaml"
    before = engagement.read_text()
    engagement.write_text(before + "publish:\n  host: docs.acme.test\n")  # one client by host name, the other by path
    try:
        result = publish(clients, "--all", "--to", "dir:hosted", "--access", "basic", "--credentials", "clients.yaml")
    finally:
        engagement.write_text(before)
    assert result.exit_code == 0, result.output
    port, process = start_nginx(clients / "hosted/access/nginx.conf", clients / "nginx-hosted")
    try:
        status, body = get(port, "/engagements/acme-mill/", LOGINS["acme-mill"], host="docs.acme.test")
        assert status == 200 and "Acme" in body
        assert get(port, "/engagements/acme-mill/", LOGINS["kestrel-shop"], host="docs.acme.test")[0] == 401
        assert get(port, "/engagements/acme-mill/", None, host="docs.acme.test")[0] == 401
        assert get(port, "/kestrel-shop/", LOGINS["kestrel-shop"], host="other.test")[0] == 200  # by path, elsewhere
        assert get(port, "/acme-mill/", LOGINS["acme-mill"], host="other.test")[0] == 401  # not served by path
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_init_keeps_credentials_files_out_of_git(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert CliRunner().invoke(cli, ["init", "docs", "--consultancy", "Northwind", "--no-input"]).exit_code == 0
    finally:
        os.chdir(cwd)
    project = tmp_path / "docs"
    git(project, "init", "--quiet")
    for name in ("credentials.yaml", "clients.credentials.yaml"):
        (project / name).write_text("x: {password: secret}\n")
        assert subprocess.run(["git", "check-ignore", "--quiet", name], cwd=project).returncode == 0, name


def test_the_caddyfile_is_valid_for_caddy(clients: Path, nginx: int) -> None:
    need(shutil.which("caddy") is not None, "Caddy is not installed (apt-get install caddy)")
    caddyfile = clients / "served/access/Caddyfile"
    text = caddyfile.read_text()
    assert "basicauth /kestrel-shop/* {\n\t\tkestrel-ops $2b$" in text and "respond @outside 401" in text
    done = subprocess.run(["caddy", "validate", "--config", str(caddyfile), "--adapter", "caddyfile"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "HOME": str(clients)})
    assert done.returncode == 0, done.stderr[-2000:]


def test_export_since_last_publish_shows_what_the_client_has_not_seen(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    root = two_clients(tmp_path)
    git(root, "init", "--quiet")
    git(root, "add", "content")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "content")
    assert publish(root, "kestrel-shop", "--to", "dir:out").exit_code == 0
    record = json.loads((root / "publish-record.json").read_text())
    assert record["kestrel-shop"]["revision"] == git(root, "rev-parse", "HEAD").strip()
    runbook = root / "content/engagements/kestrel-shop/runbooks/database-disk-full.yaml"
    runbook.write_text(runbook.read_text().replace("Write latency rises", "Write latency climbs"))
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-am", "edit")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["export", "kestrel-shop", "--format", "md", "--out", "handover.md", "--since", "last-publish"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    changes = (root / "handover.md").read_text().split("Changes since last-publish")[1].split("\n## ")[0]
    assert "Database disk almost full" in changes


def test_a_bundle_copied_alone_loads_every_asset(clients: Path, tmp_path: Path) -> None:
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    result = publish(clients, "kestrel-shop", "--to", "dir:alone")
    assert result.exit_code == 0, result.output
    shutil.copytree(clients / "alone/sites/kestrel-shop", tmp_path / "elsewhere")  # nothing else beside it
    port = free_port()
    server = subprocess.Popen(["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=tmp_path / "elsewhere",
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failed: list[str] = []
    try:
        time.sleep(0.5)
        from playwright.sync_api import sync_playwright

        from tests.browser import launch

        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            for path in ("", "engagements/kestrel-shop/", "engagements/kestrel-shop/postmortems/2026-07-19-order-export-stall/"):
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_load_state("networkidle")
            drawn = page.evaluate("document.querySelectorAll('div.mermaid, pre.mermaid').length")
            browser.close()
    finally:
        server.terminate()
    assert failed == []
    assert drawn >= 1  # the timeline diagram's script came from the bundle itself


def test_publish_never_writes_over_a_folder_of_the_users(clients: Path) -> None:
    mine = clients / "mine" / "access"
    mine.mkdir(parents=True)
    (mine / "nginx.conf").write_text("server { }  # my own\n")
    result = publish(clients, "kestrel-shop", "--to", "dir:mine", "--access", "basic", "--credentials", "clients.yaml")
    assert result.exit_code == 1 and "was not made by opsdocs" in result.output
    assert (mine / "nginx.conf").read_text() == "server { }  # my own\n"
    assert not (clients / "mine" / "sites").exists()  # checked before anything was delivered
