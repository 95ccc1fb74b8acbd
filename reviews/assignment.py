"""The assignment plan: which reviewers review which applications. Pure Python, no database.

Greedy least-loaded with a heap: applications are taken most-constrained
first (most conflicts, then oldest), and each takes the least-loaded
reviewers that are neither conflicted nor already on it. Starting from
loads that differ by at most one, taking the k least-loaded keeps them so;
a conflict can force a reviewer one level up, so a last pass moves new
assignments from the most to the least loaded reviewers while that is
allowed. Existing assignments are never moved: they count towards the
application's N and the reviewer's load, which makes a re-run a no-op.

Cost: O(A·N·log R) for the greedy part — 10,000 applications by 3 among
300 reviewers is about 30,000 heap operations.
"""

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    application_id: int
    startup_id: int


@dataclass
class Plan:
    """What a run would add. ``new`` lists (application id, reviewer id) pairs."""

    new: list[tuple[int, int]] = field(default_factory=list)
    loads_before: dict[int, int] = field(default_factory=dict)
    loads_after: dict[int, int] = field(default_factory=dict)
    # application id -> how many reviewers it still lacks (too many conflicts)
    shortfalls: dict[int, int] = field(default_factory=dict)

    @property
    def spread(self) -> int:
        loads = self.loads_after.values()
        return max(loads) - min(loads) if loads else 0

    @property
    def is_empty(self) -> bool:
        return not self.new


def plan_assignments(
    *,
    applications: Iterable[Candidate],
    reviewer_ids: Iterable[int],
    per_application: int,
    existing: Iterable[tuple[int, int]],
    conflicts: Mapping[tuple[int, int], object] | set[tuple[int, int]],
    existing_loads: Mapping[int, int] | None = None,
) -> Plan:
    """Plan the assignments a round still needs.

    ``existing`` holds the (application id, reviewer id) pairs already made;
    ``conflicts`` holds (reviewer id, startup id) pairs; ``existing_loads``
    overrides the loads counted from ``existing`` (e.g. to count the whole
    round, not just these applications).
    """
    reviewer_ids = sorted(set(reviewer_ids))
    applications = list(applications)
    assigned: dict[int, set[int]] = defaultdict(set)
    loads = dict.fromkeys(reviewer_ids, 0)
    for application_id, reviewer_id in existing:
        assigned[application_id].add(reviewer_id)
        if reviewer_id in loads and existing_loads is None:
            loads[reviewer_id] += 1
    if existing_loads is not None:
        for reviewer_id in reviewer_ids:
            loads[reviewer_id] = existing_loads.get(reviewer_id, 0)
    plan = Plan(loads_before=dict(loads))
    if not reviewer_ids:
        plan.loads_after = dict(loads)
        plan.shortfalls = {
            c.application_id: per_application - len(assigned[c.application_id])
            for c in applications
            if len(assigned[c.application_id]) < per_application
        }
        return plan

    conflicted_by_startup: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, startup_id in conflicts:
        conflicted_by_startup[startup_id].add(reviewer_id)

    def blocked(candidate: Candidate) -> set[int]:
        return conflicted_by_startup.get(candidate.startup_id, set()) | assigned[candidate.application_id]

    needing = [c for c in applications if len(assigned[c.application_id]) < per_application]
    needing.sort(key=lambda c: (-len(conflicted_by_startup.get(c.startup_id, ())), c.application_id))

    heap = [(loads[reviewer_id], reviewer_id) for reviewer_id in reviewer_ids]
    heapq.heapify(heap)
    new_by_reviewer: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in needing:
        want = per_application - len(assigned[candidate.application_id])
        excluded = blocked(candidate)
        chosen: list[int] = []
        skipped: list[tuple[int, int]] = []
        while heap and len(chosen) < want:
            load, reviewer_id = heapq.heappop(heap)
            if reviewer_id in excluded:
                skipped.append((load, reviewer_id))
            else:
                chosen.append(reviewer_id)
        for reviewer_id in chosen:
            loads[reviewer_id] += 1
            assigned[candidate.application_id].add(reviewer_id)
            new_by_reviewer[reviewer_id].append(candidate)
            heapq.heappush(heap, (loads[reviewer_id], reviewer_id))
        for item in skipped:
            heapq.heappush(heap, item)
        if len(chosen) < want:
            plan.shortfalls[candidate.application_id] = want - len(chosen)

    _rebalance(loads, new_by_reviewer, assigned, conflicted_by_startup)
    plan.new = sorted(
        (candidate.application_id, reviewer_id)
        for reviewer_id, candidates in new_by_reviewer.items()
        for candidate in candidates
    )
    plan.loads_after = loads
    return plan


def _rebalance(
    loads: dict[int, int],
    new_by_reviewer: dict[int, list[Candidate]],
    assigned: dict[int, set[int]],
    conflicted_by_startup: dict[int, set[int]],
) -> None:
    """Move new assignments from heavier to lighter reviewers while loads differ
    by more than one and a move is allowed. Each move lowers the sum of squared
    loads, so this ends."""
    while True:
        order = sorted(loads, key=lambda reviewer_id: (loads[reviewer_id], reviewer_id))
        if loads[order[-1]] - loads[order[0]] <= 1:
            return
        if not _move_one(order, loads, new_by_reviewer, assigned, conflicted_by_startup):
            return


def _move_one(
    order: list[int],
    loads: dict[int, int],
    new_by_reviewer: dict[int, list[Candidate]],
    assigned: dict[int, set[int]],
    conflicted_by_startup: dict[int, set[int]],
) -> bool:
    for light in order:
        for heavy in reversed(order):
            if loads[heavy] - loads[light] <= 1:
                break
            for index, candidate in enumerate(new_by_reviewer[heavy]):
                if light in assigned[candidate.application_id]:
                    continue
                if light in conflicted_by_startup.get(candidate.startup_id, ()):
                    continue
                new_by_reviewer[heavy].pop(index)
                new_by_reviewer[light].append(candidate)
                assigned[candidate.application_id].discard(heavy)
                assigned[candidate.application_id].add(light)
                loads[heavy] -= 1
                loads[light] += 1
                return True
    return False
