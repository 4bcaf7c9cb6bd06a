"""The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium.

One household's afternoon, as people would do it without the command line: sign in, give
the household paragraph, read it back and confirm, see the week, watch a chore progress,
press the emergency stop and release it, answer a check-in, fail to approve as a guest
and approve as the owner. The robot runs in a thread of this process over the same
database (as ``housemind run`` would in another). Set ``HOUSEMIND_SCREENSHOTS=DIR`` to
keep a screenshot of each page (``docs/images`` were taken this way).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from webhelpers import CONFIRM, HOUSEHOLD, LiveServer, Robot

from housemind.agent.web import DashboardSettings
from housemind.memory import open_database
from housemind.safety.approvals import ApprovalBook

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        msg = (
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(msg)  # CI installs them (.ci/run): missing is a broken set-up
        pytest.skip(msg)
    profile = tempfile.mkdtemp(prefix="housemind-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Page:
    """A few verbs over Selenium, with waits."""

    def __init__(self, driver, base: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.d, self.base, self.By = driver, base, By
        self.wait = lambda timeout=30: WebDriverWait(driver, timeout, poll_frequency=0.1)
        self.shots = os.environ.get("HOUSEMIND_SCREENSHOTS")

    def go(self, path: str) -> None:
        self.d.get(self.base + path)

    def el(self, css: str):
        return self.wait().until(lambda d: d.find_element(self.By.CSS_SELECTOR, css))

    def els(self, css: str):
        return self.d.find_elements(self.By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.el(css).text

    def until(self, predicate, timeout: float = 30, what: str = ""):
        try:
            return self.wait(timeout).until(lambda d: predicate())
        except Exception as e:  # noqa: BLE001 - say what did not happen
            raise AssertionError(f"timed out waiting for {what}: {e}") from None

    def sign_in(self, name: str, secret: str) -> None:
        self.go("/login")
        self.el("#name").send_keys(name)
        self.el("#secret").send_keys(secret)
        self.el("#sign-in").click()
        self.until(lambda: self.els("#who"), what="the signed-in page")

    def sign_out(self) -> None:
        self.el("#logout").click()
        self.until(lambda: "/login" in self.d.current_url, what="the sign-in page")

    def shot(self, name: str) -> None:
        """A full-page screenshot (at most 2000 px tall) when HOUSEMIND_SCREENSHOTS is set."""
        if not self.shots:
            return
        import base64

        time.sleep(0.4)  # let live updates and pictures settle
        size = self.d.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        metrics = {"width": 1280, "height": min(int(size["height"]), 2000)}
        self.d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {**metrics, "deviceScaleFactor": 1, "mobile": False},
        )
        png = self.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
        self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        Path(self.shots).mkdir(parents=True, exist_ok=True)
        (Path(self.shots) / f"dashboard-{name}.png").write_bytes(base64.b64decode(png))

    def fetch_status(self, method: str, url: str, body: dict) -> int:
        """What the server answers to a request made from this page (with its CSRF token)."""
        return self.d.execute_async_script(
            """const [method, url, body, done] = arguments;
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            fetch(url, {method, credentials: "same-origin", body: JSON.stringify(body),
                        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}})
              .then((r) => done(r.status));""",
            method,
            url,
            body,
        )


def _say(p: Page, text: str) -> str:
    """Type into the chat, read it back, confirm; the robot's last answer."""
    n = len(p.els(".msg.robot"))
    box = p.el("#say")
    box.clear()
    box.send_keys(text)
    p.el("#read-back").click()
    p.until(lambda: len(p.els(".msg.robot")) > n, what="the read-back")
    p.el("#confirm").click()
    p.until(lambda: len(p.els(".msg.robot")) > n + 1, what="the answer to the confirmation")
    return p.els(".msg.robot")[-1].text


def test_a_household_uses_the_dashboard(household, browser):
    settings = DashboardSettings(db=household.db, semantic_memory=False, poll_s=0.1)
    robot = Robot(household.db, pace_s=0.35)
    try:
        with LiveServer(settings) as server:
            _afternoon(Page(browser, server.url), household, robot)
    finally:
        robot.close()


def _afternoon(p: Page, household, robot: Robot) -> None:
    tokens = household.tokens
    # -- nothing without signing in; a wrong token is refused ------------------------------
    p.go("/week")
    assert "/login" in p.d.current_url
    p.el("#name").send_keys("alex")
    p.el("#secret").send_keys("not-my-token")
    p.el("#sign-in").click()
    assert "do not match" in p.text("#login-error")
    p.shot("login")
    p.sign_in("alex", tokens["alex"])

    # -- talk: the household paragraph, read back, confirmed --------------------------------
    p.el("#say").send_keys(HOUSEHOLD)
    p.el("#read-back").click()
    p.until(lambda: p.els("#confirm"), what="the read-back with a confirm button")
    reply = p.els(".msg.robot")[-1].text
    assert "dinner ready every day by 18:00" in reply and "Saturday" in reply
    assert "every Monday" in reply and "wake up at 07:00" in reply
    p.el("#confirm").click()
    p.until(lambda: "Saved" in p.els(".msg.robot")[-1].text, what="the stored read-back")
    assert _say(p, "Please tidy the living room every day at 9am").startswith("Saved")
    reply = _say(p, CONFIRM)
    assert "waiting for an owner's or a member's approval" in reply
    p.shot("talk")

    # -- the week ---------------------------------------------------------------------------
    p.go("/week")
    days = [d.text for d in p.els(".calendar .day")]
    assert days[0].startswith("Mon") and "tidy the living room" in days[0]
    assert "shopping" in days[0] and "make dinner" in days[0]
    # ready by Saturday 08:00: started the evening before, out of the quiet hours
    laundry = [d for d in days if "do the laundry" in d]
    assert laundry and "ready by 08:00" in laundry[0]
    assert len(p.els("#instructions tr")) == 5 and p.els('[data-edit="pause"]')
    p.shot("week")

    # -- the home now: watch a chore progress -----------------------------------------------
    p.go("/home")
    robot.watching.set()
    robot.run_until(hour=18, minute=45)
    p.until(lambda: p.text("#goal") == "tidy the living room", what="the chore to start")
    p.until(lambda: len(p.els("#steps li")) >= 2, what="the chore's steps to grow")
    assert p.text("#phase") == "chore" and p.text("#subtask") != "—"
    p.until(
        lambda: p.d.execute_script("return document.getElementById('view').naturalWidth") > 0,
        what="the picture of the home",
    )
    p.shot("home")

    # -- emergency stop, then release ------------------------------------------------------
    p.el("#estop-big").click()
    p.until(lambda: p.el("#estop-banner").is_displayed(), what="the stop banner")
    p.until(lambda: p.text("#phase") == "stopped", what="the robot to report it stopped")
    held = len(p.els("#steps li"))
    time.sleep(1.5)
    assert len(p.els("#steps li")) == held  # nothing new started while stopped
    p.shot("stopped")

    # -- a correction during the chore (the talk page, in a second tab) ----------------------
    home_tab = p.d.current_window_handle
    p.d.switch_to.new_window("tab")
    p.go("/")
    p.el("#correction").send_keys("no, the shirt goes in the laundry basket")
    p.el("#correct-form button").click()
    p.until(lambda: "Noted" in p.text("#correct-result"), what="the correction to be noted")
    assert "tidy the living room" in p.text("#correct-result")
    p.d.close()
    p.d.switch_to.window(home_tab)

    p.el("#estop-release").click()
    p.until(lambda: not p.el("#estop-banner").is_displayed(), what="the banner to go")
    p.until(lambda: len(p.els("#steps li")) > held, what="the chore to carry on")
    robot.watching.clear()
    robot.join()
    tidy = [e for e in robot.events if e[0] == "chore_end" and "tidy" in e[1]["goal"]]
    assert tidy and tidy[0][1]["status"] == "done"

    # -- answer a check-in ------------------------------------------------------------------
    p.go("/")
    p.until(lambda: p.els("form.answer"), what="the check-in question")
    assert "shopping" in p.text("form.answer .q")
    p.el("form.answer input").send_keys("eggs and bread")
    p.el("form.answer button").click()
    p.until(lambda: not p.els("form.answer"), what="the answer to be taken")
    robot.run_until(hour=19, minute=30)
    robot.join()
    p.go("/memory")
    items = p.text("#shopping")
    assert "eggs" in items and "bread" in items
    p.el("#question").send_keys("what is on the shopping list?")
    p.el("#ask-form button").click()
    p.until(lambda: "eggs" in p.text("#answer"), what="memory's answer")
    p.shot("memory")
    p.go("/history")
    next(a for a in p.els("#tasks a") if a.text == "tidy the living room").click()
    p.until(
        lambda: p.d.execute_script(
            "const i = document.getElementById('replay'); return i && i.naturalWidth"
        ),
        timeout=60,
        what="the replay",
    )
    p.shot("task")
    p.go("/history")
    p.shot("history")
    p.sign_out()

    # -- a guest cannot approve; the owner can ------------------------------------------------
    p.sign_in("sam", tokens["sam"])
    p.go("/approvals")
    (card,) = p.els(".approval")
    assert "bath" in card.text and not p.els('[data-answer="approve"]')
    approval_id = card.get_attribute("data-id")
    status = p.fetch_status("POST", f"/api/approvals/{approval_id}/approve", {})
    assert status == 403  # the server checks the role, not only the page
    p.sign_out()
    p.sign_in("alex", tokens["alex"])
    p.go("/approvals")
    p.shot("approvals")
    p.el('[data-answer="approve"]').click()
    p.until(lambda: not p.els(".approval"), what="the request to be answered")
    db = open_database(f"sqlite:///{household.db}")
    a = ApprovalBook(db).get(approval_id)
    db.close()
    assert a.status == "approved" and a.decided_by == "alex"
    p.go("/people")
    p.shot("people")
