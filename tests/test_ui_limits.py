"""The sliding windows behind the upload and login limits, on a clock the test moves."""

from __future__ import annotations

from bot.ui.limits import LOGIN_WINDOW_S, Window, login_check


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_admits_up_to_its_limit_and_frees_units_as_they_age() -> None:
    clock = Clock()
    window = Window(3, 60.0, clock)
    assert window.take("a", 2) == 0.0
    clock.now += 10
    assert window.take("a", 1) == 0.0
    assert window.take("a", 1) == 50.0  # the first two age out 60 s after they were taken
    assert window.take("b", 3) == 0.0  # keys are separate
    assert window.take("a", 4) == 60.0  # more than the limit never fits
    clock.now += 50
    assert window.take("a", 2) == 0.0 and window.take("a", 1) > 0


def test_failed_logins_lock_a_user_name_out_until_they_age() -> None:
    clock = Clock()
    check = login_check([("alice", "s3cret"), ("bob", "pw")], 3, clock)
    assert check("alice", "s3cret")
    assert not any(check("alice", guess) for guess in ("a", "b", "c"))
    assert not check("alice", "s3cret")  # locked out
    assert check("bob", "pw")
    assert not check("mallory", "x")  # an unknown name fails like a wrong password
    clock.now += LOGIN_WINDOW_S + 1
    assert check("alice", "s3cret")
