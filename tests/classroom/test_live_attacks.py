"""A hostile trainee (or outsider) on the classroom network, on real loopback sockets: each attack fails.

Loopback has a whole /8, so "many computers" are many source addresses (127.0.x.y): the host
sees each as its own computer, exactly as on a LAN.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.classroom.channel import Handshake, decode_pake
from simulator.classroom.client import LiveClient, LiveClientError
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import EventKind, HostLimits
from simulator.classroom.protocol import Decoder, Refusal, parse_host_message
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext, TurnScore
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, POOR, lines
from tests.classroom.live_helpers import Peer, handshake, hello, joined, not_connected, raw, try_code, wait_for


def make_assignment(tmp_path: Path, scenario: Scenario, mode: str) -> Assignment:
    classroom = ClassroomStore(Store(tmp_path / f"trainer-{mode}.sqlite3"))
    group = classroom.add_group("Evening cohort")
    assignment = classroom.assign(group.id, scenario, mode, 60)
    classroom.close()
    return assignment


@pytest.fixture
def practice(tmp_path: Path, scenario: Scenario) -> Assignment:
    return make_assignment(tmp_path, scenario, "practice")


@pytest.fixture
def hosts(practice: Assignment, scenario: Scenario, scorer: RubricScorer) -> Iterator[list[LiveHost]]:
    started: list[LiveHost] = []
    yield started
    for host in started:
        host.stop()


def start(
    hosts: list[LiveHost], assignment: Assignment, scenario: Scenario, scorer: object, **options: object
) -> LiveHost:
    host = LiveHost(assignment, scenario, scorer, bind="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
    host.start()
    hosts.append(host)
    return host


def wrong(code: str) -> str:
    return "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"


def test_wrong_codes_from_many_computers_spend_one_budget_for_the_whole_session(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    host = start(hosts, practice, scenario, scorer, limits=HostLimits(wrong_code_limit=3, guess_budget=10))
    ana = LiveClient.connect(*host.address, host.code, "Ana")  # in the session before the guessing starts
    play = ana.play(RubricScorer())
    play.respond(lines(GOOD)[0])

    replies = [try_code(host.address, wrong(host.code), "Mallory", f"127.0.3.{n}") for n in range(1, 41)]
    codes = Counter(r["code"] for r in replies)
    assert codes == {Refusal.WRONG_CODE: 10, Refusal.GUESSING: 30}  # one guess per computer: no lockout applies
    assert all(r.get("retry_minutes", 0) >= 1 for r in replies if r["code"] == Refusal.GUESSING)
    assert [r["code"] for r in replies[:10]] == [Refusal.WRONG_CODE] * 10  # the budget is spent, then closed
    # The guesser learns nothing more from the right code now: joins are paused for everyone, not evaluated.
    assert try_code(host.address, host.code, "Mallory", "127.0.3.99")["code"] == Refusal.GUESSING
    with pytest.raises(LiveClientError) as paused:
        LiveClient.connect(*host.address, host.code, "Ben", source_address=("127.0.4.1", 0))
    assert paused.value.code is Refusal.GUESSING and paused.value.retry_minutes == 10

    # Ana, already in, carries on to the end, and the trainer was told once that someone is guessing.
    for line in lines(GOOD)[1:]:
        play.respond(line)
    wait_for(lambda: host.dashboard().finished == 1, what="Ana to finish")
    told = [e for e in host.poll_events() if e.kind is EventKind.REJECTED and "guessing" in e.detail]
    assert len(told) == 1 and "new joins are paused" in told[0].detail
    ana.close()


def test_exchanges_opened_all_at_once_cannot_evaluate_more_wrong_codes_than_the_budget(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    host = start(hosts, practice, scenario, scorer, limits=HostLimits(guess_budget=10, handshake_seconds=60))
    peers, refused = [], []
    for n in range(1, 41):  # forty computers finish the exchange first, then all send their join
        sock = raw(host.address, f"127.0.12.{n}")
        exchange = Handshake(wrong(host.code), host=False)
        sock.sendall(hello(exchange))
        decoder = Decoder(1 << 22)
        frames: list[bytes] = []
        while not frames:
            frames = decoder.feed(sock.recv(65536))
        reply = parse_host_message(frames[0])
        if reply["type"] == "pake":
            peers.append(Peer(sock, exchange.finish(decode_pake(reply["pake"])), decoder))
        else:
            refused.append(reply["code"])
            sock.close()
    assert len(peers) == 10 and set(refused) == {Refusal.GUESSING}
    outcomes = []
    for peer in peers:
        peer.send({"type": "join", "name": "Mallory"})
        outcomes += [m["code"] for m in peer.read_until_closed()]
    assert outcomes == [Refusal.WRONG_CODE] * 10  # ten guesses evaluated in all, never more


def test_forty_computers_holding_half_open_sockets_do_not_keep_real_trainees_out(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    limits = HostLimits(handshake_seconds=120)  # the timeout cannot help here: only the caps and eviction can
    host = start(hosts, practice, scenario, scorer, limits=limits)
    held: dict[str, list] = {f"127.0.5.{n}": [] for n in range(1, 41)}

    def refill() -> None:
        """Every flooding computer opens as many sockets as the host lets it keep, some mid-hello."""
        for source, socks in held.items():
            socks[:] = [s for s in socks if _open(s)]
            while len(socks) < limits.max_unjoined_per_peer + 1:
                sock = raw(host.address, source)
                if len(socks) % 2:
                    sock.sendall(b"\x00\x00\x01\x00{")  # a hello that never finishes
                socks.append(sock)

    joined_names = []
    for n in range(26):
        refill()
        name = f"Trainee {n}"
        client = LiveClient.connect(*host.address, host.code, name, source_address=(f"127.0.6.{n + 1}", 0))
        joined_names.append(client.welcome.name)
        client.close()
    assert joined_names == [f"Trainee {n}" for n in range(26)]  # 26 of 26 real joins, none refused
    made_room = [e for e in host.poll_events() if "closed to make room" in e.detail]
    assert made_room and all(e.peer.startswith("127.0.5.") for e in made_room)  # only flood sockets were closed
    for socks in held.values():
        for sock in socks:
            sock.close()


def _open(sock: object) -> bool:
    """Whether the host still keeps this socket (it closes the ones it evicts)."""
    import socket as sockets

    assert isinstance(sock, sockets.socket)
    sock.setblocking(False)
    try:
        data = sock.recv(65536)
    except BlockingIOError:
        return True
    except OSError:
        data = b""
    finally:
        sock.setblocking(True)
    if not data:  # closed by the host (possibly after a refusal)
        sock.close()
        return False
    sock.close()  # a refusal arrived: the host is closing it
    return False


def test_two_hundred_fake_names_fill_the_session_only_while_they_stay_and_the_refusal_is_clear(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    fast = HostLimits(handshakes_per_second=1000, handshake_burst=1000)  # this test is about places, not rates
    host = start(hosts, practice, scenario, scorer, limits=fast)  # the defaults: 200 places, 8 per computer
    fakes: list[Peer] = []
    for n in range(200):
        source = f"127.0.7.{n // 8 + 1}"  # 25 computers, 8 names each
        peer, _ = joined(host.address, host.code, f"Fake {n}", source)
        fakes.append(peer)
    ninth = try_code(host.address, host.code, "Fake extra", "127.0.7.1")
    assert ninth["code"] == Refusal.TOO_MANY_CONNECTIONS and "from this computer" in ninth["reason"]
    with pytest.raises(LiveClientError) as full:
        LiveClient.connect(*host.address, host.code, "Ana", source_address=("127.0.8.1", 0))
    assert full.value.code is Refusal.FULL
    assert host.dashboard().joined == 200

    for peer in fakes[:20]:  # the flood goes away (closed, or its computers were switched off)
        peer.close()
    wait_for(lambda: host.dashboard().joined == 180, what="the places to be freed")
    for peer in fakes[20:40]:
        peer.send({"type": "bye"})
    wait_for(lambda: host.dashboard().joined == 160, what="more places to be freed")
    ana = LiveClient.connect(*host.address, host.code, "Ana", source_address=("127.0.8.1", 0))
    assert ana.welcome.name == "Ana"
    ana.close()
    for peer in fakes[40:]:
        peer.close()
    wait_for(lambda: host.dashboard().connected == 0, what="every fake to be gone")
    assert host.dashboard().joined == 0  # none of them answered: nothing of them is kept


def test_rejoining_as_a_disconnected_trainee_needs_their_token_and_shows_nothing_of_theirs(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    host = start(hosts, practice, scenario, scorer)
    ana = LiveClient.connect(*host.address, host.code, "Ana Silva", source_address=("127.0.9.1", 0))
    play = ana.play(RubricScorer())
    answered = lines(GOOD)[:2]
    for line in answered:
        play.respond(line)
    wait_for(lambda: host.dashboard().rows[0].turn_count == 2, what="Ana's answers")
    token = ana.welcome.token
    with pytest.raises(LiveClientError) as taken:  # while she is connected: the name is taken
        LiveClient.connect(*host.address, host.code, "Ana Silva", source_address=("127.0.9.2", 0), token="x" * 32)
    assert taken.value.code is Refusal.NAME_TAKEN
    ana.close()  # her laptop's wifi dropped
    wait_for(lambda: not_connected(host, "Ana Silva"), what="Ana to drop")

    for attempt in ("Ana Silva", " ana  SILVA ", "Ana Silva"):
        mallory = handshake(host.address, host.code, "127.0.9.2")  # Mallory knows the code and the name ...
        join = {"type": "join", "name": attempt}
        if attempt.startswith(" "):
            join["token"] = token[:-1] + ("A" if token[-1] != "A" else "B")  # ... and guesses at the token
        mallory.send(join)
        replies = mallory.read_until_closed()
        assert [(m["type"], m["code"]) for m in replies] == [("rejected", Refusal.TOKEN_NEEDED)]
        assert all(line[:30] not in str(replies) for line in answered)  # none of her answers were sent
    row = host.dashboard().rows[0]
    assert (row.name, row.connected, row.turn_count) == ("Ana Silva", False, 2)  # her attempt is untouched

    back = LiveClient.connect(*host.address, host.code, "Ana Silva", token=token, source_address=("127.0.9.1", 0))
    assert [r.text for r in back.welcome.resume] == answered  # her own app's token: she carries on
    assert back.welcome.token == token
    back.close()


def test_a_cyrillic_look_alike_of_a_joined_name_is_refused_over_the_network(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    host = start(hosts, practice, scenario, scorer)
    peer, _ = joined(host.address, host.code, "Ana")
    for lookalike in ("\u0410na", "An\u0430", "\u0410n\u0430", "\u0391na"):  # Cyrillic А and а, Greek Α
        reply = try_code(host.address, host.code, lookalike, "127.0.10.1")
        assert (reply["type"], reply["code"]) == ("rejected", Refusal.NAME_LOOKALIKE), ascii(lookalike)
    peer.close()
    wait_for(lambda: host.dashboard().joined == 0, what="Ana to go")  # she never answered: the name is free
    assert try_code(host.address, host.code, "\u0410na", "127.0.10.1")["type"] == "welcome"
    wait_for(lambda: host.dashboard().joined == 0, what="the look-alike, now alone, to leave too")


def test_acks_carry_no_score_in_an_assessment_and_a_score_in_practice(
    hosts: list[LiveHost], tmp_path: Path, practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    assessment = make_assignment(tmp_path, scenario, "assessment")
    for assignment, keys in (
        (assessment, {"type", "index", "finished"}),
        (practice, {"type", "index", "finished", "score"}),
    ):
        host = start(hosts, assignment, scenario, scorer)
        peer, welcome = joined(host.address, host.code, "Ana")
        acks = []
        for index, line in enumerate(lines(POOR)):
            peer.send({"type": "answer", "index": index, "text": line, "seconds": 4})
            acks.append(peer.read_one())
        assert [a["type"] for a in acks] == ["ack"] * len(acks) and acks[-1]["finished"]
        assert all(set(a) == keys for a in acks), assignment.mode
        assert set(welcome) >= {"token", "resume"} and "score" not in str(welcome["resume"])
        peer.close()


class Slow:
    """A scorer that blocks on one answer until the test lets it go: proves, by order, who waits for whom."""

    def __init__(self, inner: RubricScorer) -> None:
        self.inner = inner
        self.started = threading.Event()
        self.release = threading.Event()
        self.order: list[str] = []
        self._lock = threading.Lock()

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        if answer.startswith("SLOW "):
            self.started.set()
            assert self.release.wait(60), "never released"
            answer = answer[5:]
        result = self.inner.score(answer, context)
        with self._lock:
            self.order.append(answer[:12])
        return result


def test_an_answer_that_takes_long_to_score_holds_up_only_its_own_trainee(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    slow = Slow(scorer)
    host = start(hosts, practice, scenario, slow)
    ana, _ = joined(host.address, host.code, "Ana")
    ben, _ = joined(host.address, host.code, "Ben")
    ana.send({"type": "answer", "index": 0, "text": "SLOW " + lines(GOOD)[0], "seconds": 3})
    assert slow.started.wait(20)  # Ana's answer is being scored, and stays so until released
    acks = []
    for index, line in enumerate(lines(POOR)):  # Ben plays his whole conversation meanwhile
        ben.send({"type": "answer", "index": index, "text": line, "seconds": 3})
        acks.append(ben.read_one())
    assert [a["type"] for a in acks] == ["ack"] * len(lines(POOR)) and acks[-1]["finished"]
    board = host.dashboard()  # the trainer's view answers too, while Ana's answer is still being scored
    rows = {r.name: r for r in board.rows}
    assert rows["Ben"].phase.value == "finished" and rows["Ana"].turn_count == 0
    assert not slow.release.is_set() and [o for o in slow.order if o == lines(GOOD)[0][:12]] == []
    ana.send({"type": "answer", "index": 1, "text": lines(GOOD)[1], "seconds": 3})  # queued behind her own
    slow.release.set()
    first, second = ana.read_one(), ana.read_one()
    assert (first["type"], first["index"], second["type"], second["index"]) == ("ack", 0, "ack", 1)  # in her order
    assert slow.order.index(lines(GOOD)[0][:12]) > slow.order.index(lines(POOR)[-1][:12])  # Ben never waited
    for peer in (ana, ben):
        peer.close()


def test_hellos_repeated_from_many_computers_cost_new_joins_a_wait_never_the_trainees_in(
    hosts: list[LiveHost], practice: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    """Each key exchange costs the host real work and an abandoned one counts as no wrong code: it is rate-capped."""
    host = start(hosts, practice, scenario, scorer, limits=HostLimits(handshakes_per_second=0.01, handshake_burst=4))
    ana, _ = joined(host.address, host.code, "Ana")  # one exchange of the four
    abandoned = [handshake(host.address, wrong(host.code), f"127.0.11.{n}") for n in range(1, 4)]  # three more
    for peer in abandoned:
        peer.close()  # never a join: the host cannot tell a guess from a lost connection
    replies = [try_code(host.address, host.code, "Mallory", f"127.0.11.{n}") for n in range(4, 14)]
    assert {r["code"] for r in replies} == {Refusal.BUSY}  # refused before any arithmetic
    with pytest.raises(LiveClientError) as busy:  # a real trainee's app asks again a few times, then says so
        LiveClient.connect(*host.address, host.code, "Ben", timeout=5)
    assert busy.value.code is Refusal.BUSY
    for index, line in enumerate(lines(GOOD)):  # Ana, in already, plays on
        ana.send({"type": "answer", "index": index, "text": line, "seconds": 2})
        assert ana.read_one()["type"] == "ack"
    ana.close()
