"""Sampled futures and advice: reproducible by seed, the same on any executor, and verified."""

from __future__ import annotations

import json
import sys
import types

import pytest

from planner import services
from planner.accounts.access import LOCAL_ADMIN
from planner.domain.calendar import Horizon
from planner.whatif.advise import Training, advise, parse_target
from planner.whatif.changes import SpecialistJoins, StaffJoins, StaffLeaves
from planner.whatif.simulate import (
    Assumptions,
    PlanSettings,
    parse_rates,
    sample_future,
    sample_futures,
    simulate,
)
from tests.builders import MONDAY, dataset, operator, requirement, specialist, staff

WEEKS = 8
SETTINGS = PlanSettings(MONDAY, WEEKS, time_limit=10)
HORIZON = Horizon(MONDAY, WEEKS)
RISKY = Assumptions(
    attrition={"technical": 0.9, "finance": 0.9, "subscriber": 0.9},
    refill_weeks=(2, 4),
    sick_episodes=2.0,
    vendor_attrition=0.5,
)
QUIET = Assumptions(
    attrition={"technical": 0.0, "finance": 0.0, "subscriber": 0.0},
    sick_episodes=0.0,
    vendor_attrition=0.0,
)


def clients():
    """Two clients whose people can resign; two specialists who can cover some of it."""
    return dataset(
        operators=[operator("OP1"), operator("OP2", "Asia/Yekaterinburg")],
        requirements=[
            requirement("OP1", priority="critical"),
            requirement("OP2", "finance", 2.0, priority="high"),
        ],
        staff_members=[
            staff("S1", "OP1", fte=0.5),
            staff("S2", "OP1", fte=0.5),
            staff("S3", "OP2", "finance"),
            staff("S4", "OP2", "finance"),
        ],
        specialists=[
            specialist("SP1", "technical:2", capacity_fte=0.5),
            specialist("SP2", "finance:2", "Asia/Omsk"),
        ],
    )


def test_no_risk_no_change():
    futures = sample_futures(clients(), HORIZON, QUIET, seed=3, runs=4)
    assert futures == [(), (), (), ()]


def test_a_future_is_well_formed_and_depends_on_seed_and_index_only():
    futures = sample_futures(clients(), HORIZON, RISKY, seed=11, runs=6)
    assert futures == sample_futures(clients(), HORIZON, RISKY, seed=11, runs=6)
    assert futures[:3] == sample_futures(clients(), HORIZON, RISKY, seed=11, runs=3)
    assert futures != sample_futures(clients(), HORIZON, RISKY, seed=12, runs=6)
    leavers = [c for f in futures for c in f if isinstance(c, StaffLeaves)]
    assert leavers, "with 90% attrition somebody leaves in six futures"
    for future in futures:
        gone = {c.staff_id: c.on for c in future if isinstance(c, StaffLeaves)}
        for change in future:
            if isinstance(change, StaffJoins):
                original = change.staff_id.rsplit("-R", 1)[0]
                delay = (change.on - gone[original]).days
                assert delay in range(14, 29, 7)  # 2 to 4 weeks, whole weeks
            for day in (getattr(change, "on", None), getattr(change, "start", None)):
                assert day is None or MONDAY <= day <= HORIZON.end
        assert all(day.weekday() < 5 for day in gone.values())


def test_rates_compound_to_the_annual_rate():
    import numpy as np

    from planner.whatif.simulate import weekly_hazard

    assert (1 - weekly_hazard(0.15)) ** 52 == pytest.approx(0.85)
    rng = np.random.default_rng(0)
    one = dataset(staff_members=[staff("S1")], requirements=[requirement()])
    year = Horizon(MONDAY, 52)
    rate = Assumptions(
        attrition={"technical": 0.3},
        refill_weeks=(100, 100),
        sick_episodes=0.0,
        vendor_attrition=0.0,
    )
    left = sum(bool(sample_future(one, year, rate, rng)) for _ in range(4000))
    assert left / 4000 == pytest.approx(0.3, abs=0.03)


def test_same_seed_same_answer_on_one_or_two_workers():
    one = simulate(clients(), SETTINGS, runs=6, seed=5, assumptions=RISKY, workers=1)
    two = simulate(clients(), SETTINGS, runs=6, seed=5, assumptions=RISKY, workers=2)
    assert one.outcomes == two.outcomes
    assert one.as_dict() == two.as_dict()
    assert one.runs["run"].tolist() == list(range(6))
    # the base plan: OP1 no gap, OP2 no gap -> full cover; futures can only be worse
    assert one.base.cover_fraction("critical") == 1.0
    assert (one.runs["cover_pct_critical"] <= 100).all()
    assert one.percentiles.loc["critical", "P10"] <= one.percentiles.loc["critical", "P90"]
    assert 0 <= one.p_critical_gap <= 1


def test_progress_reports_every_run():
    seen = []
    simulate(
        clients(),
        SETTINGS,
        runs=3,
        seed=1,
        assumptions=RISKY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
def test_dask_cluster_gives_the_local_answer(monkeypatch):
    distributed = pytest.importorskip("distributed")
    # Dask's worker processes start by re-running `__main__`; after an AppTest in the same
    # pytest process that is the app's script, so give them an empty one.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    local = simulate(clients(), SETTINGS, runs=4, seed=9, assumptions=RISKY, workers=2)
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        remote = simulate(
            clients(),
            SETTINGS,
            runs=4,
            seed=9,
            assumptions=RISKY,
            scheduler=cluster.scheduler_address,
        )
    assert remote.outcomes == local.outcomes


def test_option_parsers_say_what_is_wrong():
    assert parse_rates("technical=0.18, finance=0.1") == {"technical": 0.18, "finance": 0.1}
    with pytest.raises(ValueError, match="role=rate"):
        parse_rates("tech=0.1")
    assert parse_target("critical=1.0,high=95%") == {"critical": 1.0, "high": 0.95}
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_target("high=1.5")


def understaffed():
    """OP1 needs 1.0 technical FTE at level 2 (critical); its two half-time people may resign.

    SP1 is technical level 1, so nobody can cover OP1 today.
    """
    return dataset(
        requirements=[requirement("OP1", min_level=2, priority="critical")],
        staff_members=[staff("S1", fte=0.5), staff("S2", fte=0.5)],
        specialists=[specialist("SP1", "technical:1")],
    )


def test_advised_hire_reaches_the_target_on_the_simulated_futures():
    risky = Assumptions(
        attrition={"technical": 0.9}, refill_weeks=(3, 6), sick_episodes=1.0, vendor_attrition=0.0
    )
    answer = advise(
        understaffed(),
        SETTINGS,
        futures=8,
        seed=4,
        assumptions=risky,
        target={"critical": 1.0},
        percentile=90,
    )
    assert answer.start.percentile_cover["critical"] < 1.0  # the worst futures have gaps
    assert answer.target_met
    assert len(answer.hires) == 1
    hire = answer.hires[0].change
    assert isinstance(hire, SpecialistJoins)
    assert hire.roles == (("technical", 2),)
    assert hire.timezone == "Europe/Moscow"
    assert "OP1" in answer.hires[0].reason
    # verified independently: the same futures, planned with the hire, cover all critical demand
    check = simulate(hire.apply(understaffed()), SETTINGS, runs=8, seed=4, assumptions=risky)
    assert check.runs["cover_pct_critical"].min() == 100.0
    # the training move that helps is SP1 reaching level 2, and its effect equals the hire's
    assert answer.training[0].change == Training("SP1", role="technical", level=2)
    assert answer.training[0].gain == answer.hires[0].gain


def test_no_hires_when_the_target_already_holds():
    answer = advise(
        understaffed(), SETTINGS, futures=3, seed=1, assumptions=QUIET, target={"critical": 1.0}
    )
    assert answer.target_met
    assert answer.hires == ()
    assert answer.start.percentile_cover["critical"] == 1.0


def test_service_checks_the_role():
    with pytest.raises(services.DatasetError, match="--role"):
        services.advise_staffing(
            actor=LOCAL_ADMIN, dataset=understaffed(), start=MONDAY, weeks=2, role="sales"
        )


def test_cli_simulate_and_advise(tmp_path):
    """In-process (Typer's runner): the commands' wiring, without a Python start-up per call."""
    from typer.testing import CliRunner

    from planner.cli import app
    from tests.data.test_dataset import write_files
    from tests.whatif.test_whatif import GOOD_FILES

    def run(*args: str):
        return CliRunner().invoke(app, list(args))

    data = str(write_files(tmp_path / "ds", GOOD_FILES))
    result = run(
        "simulate",
        data,
        "--start",
        "2027-01-04",
        "--weeks",
        "3",
        "--runs",
        "3",
        "--seed",
        "7",
        "--attrition",
        "technical=0.5",
        "--json",
        "--out",
        str(tmp_path / "sim"),
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["runs"] == 3
    assert answer["assumptions"]["attrition"]["technical"] == 0.5
    # S1 leaves on 10 January; SP1 covers OP1 from then on in every future without sickness
    assert answer["base_cover_pct"]["critical"] == 100.0
    runs = (tmp_path / "sim" / "runs.csv").read_bytes()
    assert runs.startswith(b"\xef\xbb\xbf")  # people open it in Excel
    assert len(runs.decode("utf-8-sig").splitlines()) == 4
    bad = run("simulate", data, "--start", "2027-01-04", "--weeks", "3", "--attrition", "tech=0.1")
    assert bad.exit_code == 2
    assert "--attrition: 'tech=0.1': write role=rate" in bad.stderr
    advice = run(
        "advise",
        data,
        "--start",
        "2027-01-04",
        "--weeks",
        "3",
        "--futures",
        "2",
        "--target",
        "critical=1.0",
        "--json",
    )
    assert advice.exit_code == 0, advice.output
    assert json.loads(advice.stdout)["futures"] == 2
    wrong = run("advise", data, "--start", "2027-01-04", "--weeks", "3", "--target", "top=1")
    assert wrong.exit_code == 2
    assert "--target: 'top=1'" in wrong.stderr
