"""The values that travel between processes (a story worker's claims) come back equal, by the
model's own pickled state (``model.quick_state``): a plain tuple of the fields, in their order."""
import pickle
from pathlib import Path

from outagetl import model
from outagetl.pipeline import Options, build
from outagetl.sources.base import Units

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "facebook-2019-07-03"


def test_a_timeline_and_its_claims_come_back_equal_from_a_pickle():
    timeline = build([str(EXAMPLE)], Options(jobs=1)).timeline
    claims = [claim for event in timeline.events for claim in event.claims]
    assert claims and any(claim.alternatives or claim.span.flags for claim in claims)
    for value in (timeline, claims, [report.source for report in timeline.sources]):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def test_the_state_is_the_fields_in_order():
    units = Units("sentence", 12, 2)
    assert units.__getstate__() == ("sentence", 12, 2, None)
    flag = model.Flag(model.FlagCode.RECONSIDERED, "read as 08:00, not 20:00")
    back = pickle.loads(pickle.dumps(flag))
    assert (back.code, back.detail) == (model.FlagCode.RECONSIDERED, "read as 08:00, not 20:00")
    assert pickle.loads(pickle.dumps(units)) == units
