"""Signing in, sessions, roles and cross-site request forgery."""

from __future__ import annotations

import base64
import json
import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from webhelpers import sign_in

from housemind.memory import open_database
from housemind.safety.audit import AuditLog
from housemind.safety.credentials import Credentials, check_secret, hash_secret
from housemind.safety.people import Household, PersonError

# -- nothing without signing in ---------------------------------------------------------------


def _routes(routes):
    for r in routes:
        if isinstance(r, APIRoute):
            for m in r.methods:
                yield m, r.path
        inner = getattr(r, "original_router", None) or getattr(r, "router", None)
        if inner is not None:  # an included router (FastAPI keeps them wrapped)
            yield from _routes(inner.routes)


def test_nothing_is_reachable_without_signing_in(app):
    c = TestClient(app, follow_redirects=False)
    public = {("GET", "/login"), ("POST", "/login")}
    checked = 0
    for method, path in _routes(app.routes):
        if (method, path) in public:
            continue
        url = re.sub(r"\{[^}]+\}", "x", path)
        res = c.request(method, url, json={})
        if path.startswith("/api/") or method != "GET":
            assert res.status_code == 401, (method, path, res.status_code)
            assert "sign in" in res.json()["error"]
        else:
            assert res.status_code == 303 and res.headers["location"].startswith("/login"), path
        checked += 1
    assert checked >= 30  # every page and endpoint of the dashboard
    assert c.get("/docs").status_code == 404 and c.get("/openapi.json").status_code == 404


def test_sign_in_sets_a_signed_httponly_samesite_cookie(app, household):
    c = TestClient(app)
    page = c.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = c.post(
        "/login",
        data={"name": "Alex", "secret": household.tokens["alex"], "csrf_token": csrf},
        follow_redirects=False,
    )
    assert res.status_code == 303
    cookie = res.headers["set-cookie"].lower()
    assert "housemind_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert household.tokens["alex"] not in res.headers["set-cookie"]
    assert c.get("/api/me").json() == {
        "name": "alex",
        "display": "alex",
        "role": "owner",
        "may_approve": True,
        "is_owner": True,
    }
    # A tampered cookie is no session.
    payload = c.cookies.get("housemind_session").split(".")[0]
    session = json.loads(base64.b64decode(payload))
    assert session["who"] == "alex" and "secret" not in session
    # The same session signed with another key (someone without the server's key).
    forged = TimestampSigner("not-the-key").sign(payload).decode()
    c.cookies.clear()
    c.cookies.set("housemind_session", forged)
    assert c.get("/api/me").status_code == 401


def test_wrong_secret_is_refused_and_recorded(app, household):
    c = TestClient(app)
    page = c.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for name, secret in (("alex", "nope"), ("mallory", household.tokens["alex"]), ("alex", "")):
        res = c.post("/login", data={"name": name, "secret": secret, "csrf_token": csrf})
        assert res.status_code == 401 and "do not match" in res.text or "say who" in res.text
    assert c.get("/api/me").status_code == 401
    db = open_database(f"sqlite:///{household.db}")
    rows = AuditLog(db).recent(10, level="access")
    db.close()
    assert any(r.actor == "mallory" and r.verdict == "deny" for r in rows)


def test_only_a_path_of_this_site_is_followed_after_signing_in(app, household):
    c = TestClient(app)
    page = c.get("/login?next=//evil.example/x")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = c.post(
        "/login",
        data={
            "name": "kim",
            "secret": household.tokens["kim"],
            "csrf_token": csrf,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert res.headers["location"] == "/"


def test_a_new_token_or_removal_ends_the_old_sessions(app, household, client_for):
    sam = client_for("sam")
    kim = client_for("kim")
    assert sam.get("/api/me").status_code == 200
    db = open_database(f"sqlite:///{household.db}")
    Credentials(db).issue_token("sam")
    assert sam.get("/api/me").status_code == 401  # signed in with the old token
    Household(db).remove("kim")
    db.close()
    assert kim.get("/api/me").status_code == 401
    c = TestClient(app)
    page = c.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = c.post(
        "/login", data={"name": "kim", "secret": household.tokens["kim"], "csrf_token": csrf}
    )
    assert res.status_code == 401  # removed: the credential went with the person


def test_sign_out_ends_the_session(client_for):
    alex = client_for("alex")
    assert alex.post("/api/logout").status_code == 200
    assert alex.get("/api/me").status_code == 401


# -- credentials ------------------------------------------------------------------------------


def test_credentials_keep_only_a_salted_hash(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'c.db'}")
    Household(db).add("alex", "owner")
    creds = Credentials(db)
    token = creds.issue_token("alex")
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT secret_hash FROM credentials").scalar()
    assert token not in stored and stored.startswith("scrypt$")
    assert creds.verify("ALEX", token).name == "alex"
    assert creds.verify("alex", token + "x") is None
    gen = creds.generation("alex")
    creds.set_password("alex", "correct horse battery")
    assert creds.generation("alex") != gen and creds.verify("alex", token) is None
    assert creds.info("alex").kind == "password"
    with pytest.raises(PersonError, match="too short"):
        creds.set_password("alex", "short")
    with pytest.raises(PersonError, match="not on this home's list"):
        creds.issue_token("mallory")
    a, b = hash_secret("same"), hash_secret("same")
    assert a != b and check_secret("same", a) and check_secret("same", b)
    assert not check_secret("same", "garbage")
    db.close()


# -- roles --------------------------------------------------------------------------------------


def test_guests_cannot_approve_edit_release_or_manage_people(client_for):
    sam = client_for("sam")
    for method, url, body in (
        ("POST", "/api/approvals/abc/approve", {}),
        ("POST", "/api/approvals/abc/deny", {}),
        ("POST", "/api/instructions/x/pause", None),
        ("POST", "/api/instructions/x/resume", None),
        ("POST", "/api/instructions/x/change", {"text": "water the plants at 9"}),
        ("DELETE", "/api/instructions/x", None),
        ("POST", "/api/estop/release", None),
        ("POST", "/api/people", {"name": "eve", "role": "owner"}),
        ("POST", "/api/people/sam/token", None),
        ("DELETE", "/api/people/alex", None),
    ):
        res = sam.request(method, url, json=body)
        assert res.status_code == 403, (url, res.status_code, res.text)
        assert "guest" in res.json()["error"]
    kim = client_for("kim")  # a member may approve, not manage people
    assert kim.post("/api/people", json={"name": "eve", "role": "owner"}).status_code == 403
    assert kim.post("/api/approvals/abc/approve", json={}).status_code == 404  # allowed, unknown


# -- cross-site request forgery ---------------------------------------------------------------


def test_state_changes_need_the_csrf_token_and_our_origin(client_for):
    alex = client_for("alex")
    token = alex.headers.pop("X-CSRF-Token")
    body = {"item": "milk"}
    res = alex.post("/api/shopping", json=body)
    assert res.status_code == 403 and "CSRF" in res.json()["error"]
    res = alex.post("/api/shopping", json=body, headers={"X-CSRF-Token": "forged"})
    assert res.status_code == 403
    res = alex.post(
        "/api/shopping",
        json=body,
        headers={"X-CSRF-Token": token, "Origin": "http://evil.example"},
    )
    assert res.status_code == 403 and "evil.example" in res.json()["error"]
    assert alex.get("/api/shopping").json() == []  # nothing was added by the refusals
    res = alex.post(
        "/api/shopping", json=body, headers={"X-CSRF-Token": token, "Origin": "http://testserver"}
    )
    assert res.status_code == 200
    assert alex.post("/api/shopping", json=body, headers={"X-CSRF-Token": token}).status_code == 200
    assert [i["item"] for i in alex.get("/api/shopping").json()] == ["milk"]
    # Reading needs no token.
    assert alex.get("/api/status").status_code == 200


def test_sign_in_form_needs_its_csrf_token(app, household):
    c = TestClient(app)
    c.get("/login")
    res = c.post("/login", data={"name": "alex", "secret": household.tokens["alex"]})
    assert res.status_code == 403
    assert c.get("/api/me").status_code == 401
    sign_in(c, "alex", household.tokens["alex"])
    assert c.get("/api/me").status_code == 200
