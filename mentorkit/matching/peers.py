"""Peer pairs: most pairs, then the highest total, on a general graph."""

from __future__ import annotations

import numpy as np

from mentorkit.exceptions import MentorkitError
from mentorkit.matching.arrays import as_set
from mentorkit.matching.criteria import OK, SCORE_BELOW_MIN, SKIP
from mentorkit.matching.matrix import score_matrix
from mentorkit.matching.model import EPS, PeerPair, Proposal, Unmatched, Weights
from mentorkit.matching.pool import Pool, two_ids
from mentorkit.matching.reasons import code_counts, explain_pairs, lock_problem, why_unmatched

EXACT_PEERS = 12


def match_peers(pool: Pool, weights: Weights, locks, forbid_pairs) -> Proposal:
    apps = pool.apps
    forbid = as_set(forbid_pairs)
    problems = []
    locked: list[tuple[int, int]] = []
    for item in locks:
        problem, pair = lock_problem(pool, *two_ids(item, "A lock"), forbid, peer=True)
        if problem:
            problems.append(problem)
        elif pair is not None and pair not in locked:
            locked.append(pair)
    seen: dict[int, int] = {}
    for pair in locked:
        for k in pair:
            seen[k] = seen.get(k, 0) + 1
    for k, count in sorted(seen.items()):
        if count > 1:
            problems.append(
                f"Capacity (one partner each): {apps[k].label} is locked to {count} peers."
            )
    if problems:
        raise MentorkitError(
            "These locks cannot all be kept, so nothing was proposed:\n  - "
            + "\n  - ".join(problems)
        )
    free = np.array([k for k in range(pool.n) if k not in seen], np.intp)
    scores, codes, _ = score_matrix(pool, free, free, weights, forbid_pairs, peer=True)
    scores = (scores + scores.T) / 2
    allowed = (codes == OK) & (codes.T == OK)
    chosen, exact, gap = _peer_solve(scores, allowed, weights)
    notes = []
    if len(free) > 1:
        if exact:
            notes.append("Peer pairs are the best possible.")
        elif gap is not None:
            notes.append(
                "Peer pairs were found by an assignment relaxation and local improvement; "
                f"their total is at most {gap:.2%} below the best possible."
            )
        else:
            notes.append(
                "Peer pairs were found by an assignment relaxation and local improvement; "
                "they may fall a little short of the best possible."
            )
    pairs = sorted(locked + [tuple(sorted((int(free[a]), int(free[b])))) for a, b in chosen])
    explained = explain_pairs(
        pool, np.array([i for i, _ in pairs]), np.array([j for _, j in pairs]), weights, True
    )
    lock_set = set(locked)
    peers = tuple(
        PeerPair(apps[i].id, apps[j].id, s, reasons, (i, j) in lock_set)
        for (i, j), (s, reasons) in zip(pairs, explained, strict=True)
    )
    matched = {k for p in pairs for k in p}
    lonely = [k for k in free.tolist() if k not in matched]
    unmatched = []
    if lonely:
        pos = {k: n for n, k in enumerate(free.tolist())}
        rows = np.array([pos[k] for k in lonely])
        sub_codes = np.where(allowed[rows], OK, np.maximum(codes[rows], codes.T[rows]))
        sub_codes[np.arange(len(rows)), rows] = SKIP
        counts = code_counts(sub_codes, 1)
        low = np.where(sub_codes == SCORE_BELOW_MIN, scores[rows], -np.inf).max(
            axis=1, initial=-np.inf
        )
        for n, k in enumerate(lonely):
            unmatched.append(
                Unmatched(apps[k].id, why_unmatched(counts[n], "peer", float(low[n]), weights))
            )
    return Proposal(
        pairs=(),
        unmatched=tuple(unmatched),
        total_score=float(sum(p.score for p in peers)),
        peers=peers,
        notes=tuple(notes),
        mode="peer",
    )


def _peer_solve(
    scores: np.ndarray, allowed: np.ndarray, weights: Weights
) -> tuple[list[tuple[int, int]], bool, float | None]:
    """Pairs of a general graph: most pairs, then highest total. Exact for small pools.

    Also says whether the pairs are provably best and, if not, how far below the best they
    can at most be (a share of the bound), when the relaxation can tell."""
    n = len(scores)
    np.fill_diagonal(allowed, False)
    if n <= EXACT_PEERS:
        return _peer_exact(scores, allowed), True, None
    pairs, exact, (most, heaviest) = _peer_relaxed(
        scores, allowed, np.arange(n), weights, first=True
    )
    if exact:
        return pairs, True, None
    pairs = _peer_improve(scores, allowed, pairs)
    gap = None
    if len(pairs) == most and heaviest > 0:
        total = sum(float(scores[a, b]) for a, b in pairs)
        gap = max(0.0, (heaviest - total) / heaviest)
    return pairs, False, gap


def _peer_exact(scores: np.ndarray, allowed: np.ndarray) -> list[tuple[int, int]]:
    n = len(scores)
    memo: dict[int, tuple[int, float, tuple[tuple[int, int], ...]]] = {}

    def best(mask: int) -> tuple[int, float, tuple[tuple[int, int], ...]]:
        if mask == 0:
            return (0, 0.0, ())
        if mask in memo:
            return memo[mask]
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        result = best(rest)
        for j in range(i + 1, n):
            if rest >> j & 1 and allowed[i, j]:
                count, total, chosen = best(rest & ~(1 << j))
                option = (count + 1, total + float(scores[i, j]), ((i, j), *chosen))
                if option[:2] > result[:2]:
                    result = option
        memo[mask] = result
        return result

    return sorted(best((1 << n) - 1)[2])


def _peer_relaxed(scores, allowed, nodes, weights, first=False):
    """Solve the doubled graph, turn its cycles into pairs, and repeat on the leftovers.

    Returns the pairs, whether they are provably best (no odd cycles at the first level), and
    the relaxation's bound: no matching has more than ``bound[0]`` pairs, and none with that
    many pairs weighs more than ``bound[1]``."""
    from scipy.optimize import linear_sum_assignment

    nodes = nodes[allowed[np.ix_(nodes, nodes)].any(1)]
    if len(nodes) < 2:
        return [], True, (0, 0.0)
    ok = allowed[np.ix_(nodes, nodes)]
    sub = scores[np.ix_(nodes, nodes)]
    big = (weights.total + 1.0) * (len(nodes) + 1.0)
    cost = np.where(ok, -sub, big)
    _, sigma = linear_sum_assignment(cost)
    in_cover = ok[np.arange(len(nodes)), sigma]
    bound = (
        int(len(nodes) - (~in_cover).sum()) // 2,
        float(sub[np.arange(len(nodes)), sigma][in_cover].sum()) / 2,
    )
    seen = np.zeros(len(nodes), bool)
    pairs: list[tuple[int, int]] = []
    left: list[int] = []
    exact = True
    for start in range(len(nodes)):
        if seen[start]:
            continue
        cycle = []
        k = start
        while not seen[k]:
            seen[k] = True
            cycle.append(k)
            k = sigma[k]
        if len(cycle) == 1:
            left.append(cycle[0])
            continue
        edges_ok = [ok[cycle[t], cycle[(t + 1) % len(cycle)]] for t in range(len(cycle))]
        if len(cycle) > 2 and (len(cycle) % 2 or not all(edges_ok)):
            exact = False
        chosen = _cycle_pairs(cycle, ok, sub)
        pairs.extend(chosen)
        used = {x for p in chosen for x in p}
        left.extend(x for x in cycle if x not in used)
    out = [(int(nodes[a]), int(nodes[b])) for a, b in pairs]
    if len(left) >= 2 and pairs:
        more, _, _ = _peer_relaxed(scores, allowed, nodes[sorted(left)], weights)
        out.extend(more)
    return out, exact and first, bound


def _cycle_pairs(cycle: list[int], ok: np.ndarray, scores: np.ndarray) -> list[tuple[int, int]]:
    """Best pairs (most, then highest total) along the edges of one cycle."""
    length = len(cycle)
    if length == 2:
        a, b = cycle
        return [(a, b)] if ok[a, b] else []

    def path(seq: list[int]) -> tuple[int, float, list[tuple[int, int]]]:
        best: list[tuple[int, float, list[tuple[int, int]]]] = [(0, 0.0, [])] * (len(seq) + 1)
        for t in range(2, len(seq) + 1):
            best[t] = best[t - 1]
            a, b = seq[t - 2], seq[t - 1]
            if ok[a, b]:
                prev = best[t - 2]
                option = (prev[0] + 1, prev[1] + float(scores[a, b]), [*prev[2], (a, b)])
                if option[:2] > best[t][:2]:
                    best[t] = option
        return best[len(seq)]

    options = [path(cycle)]
    a, b = cycle[-1], cycle[0]
    if ok[a, b]:
        inner = path(cycle[1:-1])
        options.append((inner[0] + 1, inner[1] + float(scores[a, b]), [*inner[2], (a, b)]))
    return max(options, key=lambda o: o[:2])[2]


def _peer_improve(scores, allowed, pairs, rounds: int = 100) -> list[tuple[int, int]]:
    """Local search: add pairs through unmatched people, then swap partners between pairs."""
    n = len(scores)
    partner = np.full(n, -1, np.intp)
    for a, b in pairs:
        partner[a], partner[b] = b, a
    for _ in range(rounds):
        changed = False
        lonely = np.flatnonzero(partner < 0)
        # u - a = b - v  becomes  u = a, b = v (one more pair).
        if len(lonely) >= 2:
            a_ends = np.flatnonzero(partner >= 0)
            for a in a_ends.tolist():
                b = partner[a]
                if b < 0 or partner[a] < 0:
                    continue
                lonely = np.flatnonzero(partner < 0)
                us = lonely[allowed[a, lonely]]
                vs = lonely[allowed[b, lonely]]
                for u in us.tolist():
                    v = vs[vs != u]
                    if len(v):
                        v = int(v[np.argmax(scores[b, v])])
                        partner[a], partner[u], partner[b], partner[v] = u, a, v, b
                        changed = True
                        break
        # Two lonely people who may be paired.
        lonely = np.flatnonzero(partner < 0)
        for u in lonely.tolist():
            if partner[u] >= 0:
                continue
            free = np.flatnonzero((partner < 0) & allowed[u])
            if len(free):
                v = int(free[np.argmax(scores[u, free])])
                partner[u], partner[v] = v, u
                changed = True
        # Swap partners between two pairs when both new pairs are allowed and it gains.
        a = np.flatnonzero(partner > np.arange(n))
        b = partner[a]
        if len(a) >= 2:
            current = scores[a, b]
            base = current[:, None] + current[None, :]
            gain1 = np.where(
                allowed[np.ix_(a, a)] & allowed[np.ix_(b, b)],
                scores[np.ix_(a, a)] + scores[np.ix_(b, b)] - base,
                -np.inf,
            )
            gain2 = np.where(
                allowed[np.ix_(a, b)] & allowed[np.ix_(b, a)],
                scores[np.ix_(a, b)] + scores[np.ix_(b, a)] - base,
                -np.inf,
            )
            gain = np.triu(np.maximum(gain1, gain2), 1)
            gain[np.tril_indices(len(a))] = -np.inf
            order = np.argsort(-gain, axis=None, kind="stable")
            used = np.zeros(len(a), bool)
            for flat in order.tolist():
                x, y = divmod(flat, len(a))
                if gain[x, y] <= EPS:
                    break
                if used[x] or used[y]:
                    continue
                used[x] = used[y] = True
                if gain1[x, y] >= gain2[x, y]:
                    new = ((a[x], a[y]), (b[x], b[y]))
                else:
                    new = ((a[x], b[y]), (b[x], a[y]))
                for p, q in new:
                    partner[p], partner[q] = q, p
                changed = True
        # Replace a partner with a lonely person who scores higher with them.
        lonely = np.flatnonzero(partner < 0)
        if len(lonely):
            for x in np.flatnonzero(partner >= 0).tolist():
                y = partner[x]
                if y < 0:
                    continue
                lonely = np.flatnonzero(partner < 0)
                cand = lonely[allowed[x, lonely]]
                if len(cand):
                    u = int(cand[np.argmax(scores[x, cand])])
                    if scores[x, u] > scores[x, y] + EPS:
                        partner[y], partner[x], partner[u] = -1, u, x
                        changed = True
        if not changed:
            break
    return [(int(x), int(partner[x])) for x in range(n) if partner[x] > x]
