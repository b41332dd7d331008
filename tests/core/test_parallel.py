"""core.parallel.in_parallel: reads at once, in the caller's context, answers by name."""

import contextvars
import threading

import pytest

from core.parallel import PARALLEL_READS, in_parallel

REQUEST = contextvars.ContextVar("request", default="none")


def test_the_reads_run_at_the_same_time():
    # Each read waits for the others: read one after another, the barrier would break.
    meeting = threading.Barrier(PARALLEL_READS, timeout=10)

    def read(name):
        return lambda: (meeting.wait(), name)[1]

    answers = in_parallel(**{name: read(name) for name in ("a", "b", "c", "d")})

    assert answers == {"a": "a", "b": "b", "c": "c", "d": "d"}


def test_each_read_sees_the_callers_context():
    REQUEST.set("req-42")

    answers = in_parallel(first=REQUEST.get, second=REQUEST.get)

    assert answers == {"first": "req-42", "second": "req-42"}


def test_the_answers_keep_the_order_the_reads_were_given_in():
    answers = in_parallel(**{str(page): (lambda page=page: page * 10) for page in range(2, 9)})

    assert list(answers) == [str(page) for page in range(2, 9)]
    assert list(answers.values()) == [20, 30, 40, 50, 60, 70, 80]


def test_the_first_failure_is_raised_after_every_read_finished():
    finished = []

    def fails():
        raise LookupError("Zendesk did not answer")

    def succeeds():
        finished.append("ok")
        return "ok"

    with pytest.raises(LookupError, match="did not answer"):
        in_parallel(broken=fails, fine=succeeds)

    assert finished == ["ok"]


def test_one_read_runs_in_the_callers_thread():
    assert in_parallel(only=threading.get_ident) == {"only": threading.get_ident()}
    assert in_parallel() == {}
