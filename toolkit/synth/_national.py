"""National-shape synthetic data, written to Parquet in chunks (never a whole table in memory).

:func:`write_national` builds the tables a national body monitoring the 20 JP right would
hold: about 4.3 million civil servants (ASN) in some 600 agencies (instansi) nested in
regions, 20 million enrolments, 50 million reaction answers and 30 million IKM responses at
full size, and writes them as ``<out>/<table>.parquet``, one file per table, with the
columns and dtypes of :func:`toolkit.data.load` (categoricals for codes, ``Int16`` answers,
``datetime64[s]`` dates). ``units.parquet`` carries four more columns, the hierarchy a
national analysis groups by: ``agency_id``, ``agency_type`` (``central``, ``province``,
``regency_city``), ``region_id`` and ``region_name`` (the province; ``00`` for the central
agencies in Jakarta). :func:`toolkit.data.load` ignores them; the DuckDB engine
(:mod:`toolkit.engine`) groups by them.

Structure (all of it synthetic, shaped on public facts but not a copy of any register):

* **agencies**: the 38 provinces with their numbers of regencies and cities (kabupaten/kota,
  Kemendagri codes), one provincial government each, the regencies and cities in proportion
  to the real counts, and central ministries and agencies (about 13 % of the agencies, 23 %
  of the staff, as in BKN's 2021 profile); staff numbers per agency are log-normal;
* **units** (OPD, satuan kerja) inside each agency, about one per 150 staff (2 to 40),
  named and typed after the templates of :mod:`toolkit.synth` (``_bank.UNITS``);
* **participants**: position and grade (PNS golongan I–IV or PPPK), sex and age band drawn
  with the parameters of :mod:`toolkit.synth._params`; ``participant_id`` has the toolkit's
  pseudonym format (``P-`` + 16 hex digits), drawn directly (no NIP is ever made);
* **sessions** run by each agency in 2024 and 2025, with programme, method, provider,
  schedule and JP as in the sample generator, more of them in the middle of the year;
* **enrolments**: sessions per person and year are negative-binomial, with an agency effect,
  a province effect and a year effect, fewer for PPPK (whose competency development is not
  the 20 JP right of PNS), so that 20 JP fulfilment varies between agencies and regions;
  attendance, completion and absence reasons by schedule as in the sample;
* **reaction**: the eight items of the sample's end-of-session survey (the 0–10 recommend
  item included), answered by about a third of attendees, with the sample's latent model;
* **ikm_responses**: every unit surveyed in each quarter of 2024–2025, the sample's IKM
  model (unit effects, trend, season, the training effect from a unit's first trained
  quarter), respondent counts allocated to hit the target exactly;
* **costs**: the sample's session cost lines (fees per JP by provider, materials, catering,
  travel, participants' salary time) and national programme-level lines;
* **instruments**: the sample's item bank.

Determinism: every random draw comes from a stream keyed by (seed, table, block), where a
block is :data:`BLOCK` people (or :data:`UNIT_BLOCK` units for the IKM survey), so the rows
do not depend on ``chunk_people``: two chunk sizes write the same rows (only the Parquet row
groups differ). People are ordered by pseudonym, so every chunk's ``participant_id``
dictionary is a sorted, increasing range.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

from toolkit.data import empty_table
from toolkit.schema import (
    ABSENCE_REASONS,
    AGE_BANDS,
    GRADES,
    IKM_ELEMENTS,
    METHODS,
    POSITION_TYPES,
    PROVIDERS,
    SCHEDULES,
    TABLES,
)
from toolkit.synth import _bank as bank
from toolkit.synth import _model as M
from toolkit.synth import _params as P
from toolkit.validation import check_number

__all__ = ["NATIONAL_TABLES", "PROVINCES", "write_national"]

# ----------------------------------------------------------------------------- sizes
#: Full national shape: civil servants, enrolments, reaction answers, IKM responses.
NATIONAL_PARTICIPANTS = 4_300_000
NATIONAL_ENROLLMENTS = 20_000_000
NATIONAL_REACTION = 50_000_000
NATIONAL_IKM = 30_000_000
#: Agencies at full shape: 78 central + 38 provincial + 508 regency/city governments.
NATIONAL_AGENCIES = 624
#: People per random block; chunks are whole blocks, so rows do not depend on the chunking.
BLOCK = 8192
#: Units per random block of the IKM survey.
UNIT_BLOCK = 256
#: Rows per Parquet row group (at most).
ROW_GROUP = 1_000_000

#: The tables written, in order (``units.parquet`` has the four hierarchy columns as well).
NATIONAL_TABLES = (
    "units",
    "participants",
    "sessions",
    "enrollments",
    "instruments",
    "reaction",
    "ikm_responses",
    "costs",
)
HIERARCHY_COLUMNS = ("agency_id", "agency_type", "region_id", "region_name")
AGENCY_TYPES = ("central", "province", "regency_city")

#: The 38 provinces: (Kemendagri code, name, number of regencies and cities). DKI Jakarta's
#: six are administrative (no government of their own), so it has none here.
PROVINCES = (
    ("11", "Aceh", 23), ("12", "Sumatera Utara", 33), ("13", "Sumatera Barat", 19),
    ("14", "Riau", 12), ("15", "Jambi", 11), ("16", "Sumatera Selatan", 17),
    ("17", "Bengkulu", 10), ("18", "Lampung", 15), ("19", "Kepulauan Bangka Belitung", 7),
    ("21", "Kepulauan Riau", 7), ("31", "DKI Jakarta", 0), ("32", "Jawa Barat", 27),
    ("33", "Jawa Tengah", 35), ("34", "DI Yogyakarta", 5), ("35", "Jawa Timur", 38),
    ("36", "Banten", 8), ("51", "Bali", 9), ("52", "Nusa Tenggara Barat", 10),
    ("53", "Nusa Tenggara Timur", 22), ("61", "Kalimantan Barat", 14),
    ("62", "Kalimantan Tengah", 14), ("63", "Kalimantan Selatan", 13),
    ("64", "Kalimantan Timur", 10), ("65", "Kalimantan Utara", 5),
    ("71", "Sulawesi Utara", 15), ("72", "Sulawesi Tengah", 13),
    ("73", "Sulawesi Selatan", 24), ("74", "Sulawesi Tenggara", 17), ("75", "Gorontalo", 6),
    ("76", "Sulawesi Barat", 6), ("81", "Maluku", 11), ("82", "Maluku Utara", 10),
    ("91", "Papua", 9), ("92", "Papua Barat", 7), ("93", "Papua Selatan", 4),
    ("94", "Papua Tengah", 8), ("95", "Papua Pegunungan", 8), ("96", "Papua Barat Daya", 6),
)  # fmt: skip
CENTRAL_REGION = ("00", "Pusat (instansi pusat)")

# ----------------------------------------------------------------------------- parameters
#: Share of agencies that are central, and of staff working in them (BKN 2021: 23 %).
CENTRAL_AGENCY_SHARE = 78 / 624
CENTRAL_STAFF_SHARE = 0.23
#: Share of local-government staff in provincial governments.
PROVINCE_STAFF_SHARE = 0.15
#: Log-SD of agency size within each kind (central, province, regency/city).
SIZE_LOG_SD = (1.2, 0.45, 0.6)
#: Staff per unit, and the range of units per agency.
STAFF_PER_UNIT = 150
UNITS_PER_AGENCY = (2, 40)
#: Years and quarters covered (quarter index into toolkit.synth._params.PERIODS).
YEARS = (2024, 2025)
QUARTERS = tuple(range(P.PERIODS.index("2024Q1"), P.PERIODS.index("2025Q4") + 1))
#: Share of a year's sessions in Q1..Q4 (budgets are released late in Q1).
QUARTER_WEIGHTS = np.array([0.15, 0.27, 0.33, 0.25])
#: Mean sessions per person and year before the effects below (set so that about 20 M
#: enrolments come out at full shape), negative-binomial dispersion (size).
SESSIONS_PER_YEAR = 2.33
NB_SIZE = 1.1
#: SD of the log agency effect and of the log province effect on sessions per person-year.
AGENCY_SD = 0.45
REGION_SD = 0.25
#: Multiplier of sessions per person-year by year (2024, 2025): more in the second year.
YEAR_FACTOR = np.array([0.92, 1.08])
#: Multiplier by position (POSITION_TYPES) and for PPPK (their development is not the 20 JP
#: right of PNS: at most 24 JP per contract year, PP 49/2018).
POSITION_FACTOR = np.array([1.3, 1.1, 0.85])
PPPK_FACTOR = 0.45
#: Redraws of a session a person was given twice (then the duplicate is dropped).
REDRAWS = 8
#: Places per session by method (METHODS): classes of 20–60, e-learning cohorts of 150.
CAPACITY = np.array([30, 60, 25, 20, 150])
#: Mean share of attendees who answer the reaction survey, and the SD of its agency logit.
RESPONSE_RATE = 0.33
RESPONSE_SD = 0.6
#: Share of units trained in a service-quality programme (IKM effect from that quarter).
TRAINED_SHARE = 0.5

#: Random streams (spawn keys); blocks add a second key.
_STREAMS = (
    "agencies",
    "units",
    "participants",
    "sessions",
    "enrollments",
    "reaction",
    "ikm",
    "costs",
    "session_effect",
)


def _rng(seed: int, stream: str, block: int | None = None) -> np.random.Generator:
    key = (
        (100 + _STREAMS.index(stream),) if block is None else (100 + _STREAMS.index(stream), block)
    )
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


# ----------------------------------------------------------------------------- helpers
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser: a bijection of uint64 (distinct inputs, distinct outputs)."""
    z = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _pseudonyms(numbers: np.ndarray) -> np.ndarray:
    """``P-`` + 16 lowercase hex digits of each uint64 (numeric order = text order)."""
    be = numbers.astype(">u8").view(np.uint8).reshape(-1, 8)
    out = np.empty((len(numbers), 18), np.uint8)
    out[:, 0], out[:, 1] = ord("P"), ord("-")
    out[:, 2::2] = _HEX[be >> 4]
    out[:, 3::2] = _HEX[be & 15]
    return out.view("S18").ravel().astype(str)


def _zfill(numbers: np.ndarray, width: int) -> np.ndarray:
    """Numbers as zero-padded text (an empty array stays empty)."""
    text = np.asarray(numbers).astype(str)
    return np.char.zfill(text, width) if text.size else text


def _codes(n: int, prefix: str, width: int) -> np.ndarray:
    return np.char.add(prefix, _zfill(np.arange(1, n + 1), width))


def _pick(rng, starts: np.ndarray, cum: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One element per row of ``group``, weighted, among the group's contiguous elements.

    ``cum`` is the global cumulative weight (``cum[i]`` = weights of elements ``< i+1``),
    ``starts[g]`` the first element of group ``g`` (and ``starts[g+1]`` one past its last).
    """
    lo = np.where(starts[group] > 0, cum[np.maximum(starts[group] - 1, 0)], 0.0)
    hi = cum[starts[group + 1] - 1]
    x = lo + rng.random(group.size) * (hi - lo)
    idx = np.searchsorted(cum, x, side="right")
    return np.clip(idx, starts[group], starts[group + 1] - 1)


# ----------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class _Sizes:
    participants: int
    agencies: int
    ikm: int
    scale: float


class _Plan:
    """Everything small enough to hold whole: agencies, units, people's attributes, sessions."""

    def __init__(self, seed: int, sizes: _Sizes):
        self.seed = seed
        self.sizes = sizes
        self.agencies = self._agencies()
        self.units = self._units()
        self.people = self._people()
        self.sessions = self._sessions()

    # ------------------------------------------------------------------ agencies
    def _agencies(self) -> SimpleNamespace:
        rng = _rng(self.seed, "agencies")
        n = self.sizes.agencies
        n_central = max(1, round(n * CENTRAL_AGENCY_SHARE))
        n_prov = min(len(PROVINCES), n - n_central)
        n_kab = n - n_central - n_prov
        kab_counts = M.largest_remainder(n_kab, np.array([p[2] for p in PROVINCES]) + 1e-9)
        # Provinces with a government: all (or, with very few agencies, the first n_prov).
        region_of_prov = np.arange(n_prov)
        kab_region = np.repeat(np.arange(len(PROVINCES)), kab_counts)
        kind = np.concatenate([np.zeros(n_central, int), np.ones(n_prov, int), np.full(n_kab, 2)])
        region = np.concatenate([np.full(n_central, -1), region_of_prov, kab_region])
        codes = np.array([p[0] for p in PROVINCES])
        names = np.array([p[1] for p in PROVINCES], dtype=object)
        _, rank = M.ranges(kab_counts)
        ids = np.concatenate(
            [
                _codes(n_central, "K", 3),
                np.char.add(codes[region_of_prov], ".00"),
                np.char.add(np.char.add(codes[kab_region], "."), _zfill(rank + 1, 2)),
            ]
        ).astype(object)
        agency_names = np.concatenate(
            [
                np.char.add("Instansi Pusat ", _codes(n_central, "K", 3)).astype(object),
                "Pemerintah Provinsi " + names[region_of_prov],
                "Pemerintah Kabupaten/Kota "
                + ids[n_central + n_prov :]
                + " ("
                + names[kab_region]
                + ")",
            ]
        )
        # Staff: central agencies hold CENTRAL_STAFF_SHARE; provinces PROVINCE_STAFF_SHARE of
        # the rest; log-normal sizes within each kind.
        w = np.exp(np.array(SIZE_LOG_SD)[kind] * rng.standard_normal(n))
        share = np.array(
            [
                CENTRAL_STAFF_SHARE,
                (1 - CENTRAL_STAFF_SHARE) * PROVINCE_STAFF_SHARE,
                (1 - CENTRAL_STAFF_SHARE) * (1 - PROVINCE_STAFF_SHARE),
            ]
        )
        for k in range(3):
            sel = kind == k
            if sel.any():
                w[sel] = share[k] * w[sel] / w[sel].sum()
        minimum = 5
        size = minimum + M.largest_remainder(self.sizes.participants - minimum * n, w)
        region_sd = REGION_SD * rng.standard_normal(len(PROVINCES) + 1)
        effect = np.exp(AGENCY_SD * rng.standard_normal(n) + region_sd[region])
        response = expit(
            np.log(RESPONSE_RATE / (1 - RESPONSE_RATE)) + RESPONSE_SD * rng.standard_normal(n)
        )
        # Mean response rate over the expected enrolments exactly RESPONSE_RATE (big and
        # busy agencies dominate the count of answers).
        expected = size * effect
        response = np.minimum(
            response * RESPONSE_RATE / np.average(response, weights=expected), 0.95
        )
        return SimpleNamespace(
            n=n, kind=kind, region=region, id=ids, name=agency_names, size=size,
            effect=effect, response=response,
        )  # fmt: skip

    # ------------------------------------------------------------------ units
    def _units(self) -> SimpleNamespace:
        rng = _rng(self.seed, "units")
        A = self.agencies
        lo, hi = UNITS_PER_AGENCY
        count = np.clip(np.round(A.size / STAFF_PER_UNIT).astype(int), lo, hi)
        agency, rank = M.ranges(count)
        n = agency.size
        k = len(bank.UNITS)
        central = A.kind[agency] == 0
        tmpl = np.where(central, rng.integers(0, k, n), rank % k)
        svc = np.array([bank.SERVICE_TYPES.index(u[1]) for u in bank.UNITS])[tmpl]
        tmpl_names = np.array([u[0] for u in bank.UNITS], dtype=object)[tmpl]
        seq = _zfill(rank + 1, 2).astype(object)
        name = np.where(central, "Satuan Kerja " + seq, tmpl_names) + ", " + A.name[agency]
        ids = A.id[agency] + "-U" + seq
        trained = rng.random(n) < TRAINED_SHARE
        cohort = np.where(trained, rng.integers(QUARTERS[0], QUARTERS[-1], n), -1)
        weight = np.array([u[3] for u in bank.UNITS])[tmpl]
        starts = np.concatenate([[0], np.cumsum(count)])
        return SimpleNamespace(
            n=n, agency=agency, id=ids, name=name, service=svc, cohort=cohort,
            frontline=np.array([u[4] for u in bank.UNITS])[tmpl], starts=starts,
            cum=np.cumsum(weight),
            health=np.isin(svc, [bank.SERVICE_TYPES.index(h) for h in bank.HEALTH_TYPES]),
        )  # fmt: skip

    # ------------------------------------------------------------------ people
    def _people(self) -> SimpleNamespace:
        rng = _rng(self.seed, "participants")
        A, U = self.agencies, self.units
        n = self.sizes.participants
        agency = np.repeat(np.arange(A.n), A.size)
        unit = _pick(rng, U.starts, U.cum, agency)
        health = U.health[unit]
        pos = M.choice_rows(rng, P.POSITION_PROBS[np.where(health, 0, 1)])
        grade = M.choice_rows(rng, P.GRADE_PROBS[pos])
        female = rng.random(n) < np.where(health, P.FEMALE_SHARE[0], P.FEMALE_SHARE[1])
        lo, hi, a, b = P.AGE_PARAMS[grade].T
        age = lo + (hi - lo) * rng.beta(a, b)
        band = np.searchsorted(np.array([30.0, 40.0, 50.0]), age, side="right")
        key = np.random.SeedSequence(self.seed, spawn_key=(99,)).generate_state(1, np.uint64)[0]
        number = _splitmix64(np.arange(n, dtype=np.uint64) ^ key)
        order = np.argsort(number, kind="stable")  # people in pseudonym order
        pppk = grade == GRADES.index("PPPK")
        # Expected sessions per person and year, scaled to the national enrolment rate.
        base = A.effect[agency] * POSITION_FACTOR[pos] * np.where(pppk, PPPK_FACTOR, 1.0)
        base = base * (SESSIONS_PER_YEAR / base.mean())
        return SimpleNamespace(
            n=n, number=number[order], agency=agency[order], unit=unit[order], pos=pos[order],
            grade=grade[order].astype(np.int8), female=female[order], band=band[order],
            rate=base[order],
        )  # fmt: skip

    # ------------------------------------------------------------------ sessions
    def _sessions(self) -> SimpleNamespace:
        rng = _rng(self.seed, "sessions")
        A, Pp = self.agencies, self.people
        ny = len(YEARS)
        expected = np.bincount(Pp.agency, weights=Pp.rate, minlength=A.n)[:, None] * YEAR_FACTOR
        method_mix = P.PROGRAM_WEIGHTS @ P.METHOD_GIVEN_PROGRAM / P.PROGRAM_WEIGHTS.sum()
        mean_cap = float(method_mix @ CAPACITY)
        count = np.maximum(2, np.ceil(expected / mean_cap).astype(int)).ravel()  # agency-year
        group, _ = M.ranges(count)
        n = group.size
        agency, year = group // ny, group % ny
        cum_prog = np.cumsum(P.PROGRAM_WEIGHTS) / P.PROGRAM_WEIGHTS.sum()
        program = np.minimum(np.searchsorted(cum_prog, rng.random(n), side="right"), 5)
        method = M.choice_rows(rng, P.METHOD_GIVEN_PROGRAM[program])
        provider = M.choice_rows(rng, np.broadcast_to(P.PROVIDER_SHARES, (n, 3)))
        schedule = M.choice_rows(rng, P.SCHEDULE_GIVEN_METHOD[method])
        jp = P.JP_CHOICES[method, rng.integers(0, P.JP_CHOICES.shape[1], n)]
        quarter = M.choice_rows(rng, np.broadcast_to(QUARTER_WEIGHTS, (n, 4)))
        qidx = P.PERIODS.index("2024Q1") + 4 * year + quarter
        day0 = P.QUARTER_START[qidx] + rng.integers(0, 56, n).astype("timedelta64[D]")
        start, end = M.session_span(rng, day0, schedule, method, jp)
        # A session ends in the year it starts (the JP count in that year): late ones move
        # back by whole weeks, keeping their weekdays.
        last = (np.array(YEARS)[year] - 1970 + 1).astype("datetime64[Y]").astype(
            "datetime64[D]"
        ) - np.timedelta64(1, "D")
        weeks = np.ceil(np.maximum((end - last).astype(int), 0) / 7).astype(int)
        shift = (7 * weeks).astype("timedelta64[D]")
        start, end = start - shift, end - shift
        # Order by agency, year and start date; ids follow that order.
        srt = np.lexsort((program, start, group))
        starts = np.concatenate([[0], np.cumsum(count)])
        cap = CAPACITY[method[srt]].astype(float)
        width = len(str(n))
        effect = _rng(self.seed, "session_effect").standard_normal(n)
        return SimpleNamespace(
            n=n, id=_codes(n, "S", max(width, 7)).astype(object), agency=agency[srt],
            program=program[srt], method=method[srt], provider=provider[srt],
            schedule=schedule[srt], jp=jp[srt], start=start[srt], end=end[srt],
            starts=starts, cum=np.cumsum(cap), effect=effect,
        )  # fmt: skip


# ----------------------------------------------------------------------------- blocks
def _enrol_block(plan: _Plan, b: int, lo: int, hi: int) -> SimpleNamespace:
    """Enrolments of people ``lo:hi`` (block ``b``), sorted by person then session."""
    rng = _rng(plan.seed, "enrollments", b)
    Pp, S, U = plan.people, plan.sessions, plan.units
    n = hi - lo
    ny = len(YEARS)
    mu = Pp.rate[lo:hi, None] * YEAR_FACTOR[None, :]
    k = rng.negative_binomial(NB_SIZE, NB_SIZE / (NB_SIZE + mu))  # (n, years)
    person = np.repeat(np.repeat(np.arange(n), ny), k.ravel())
    year = np.repeat(np.tile(np.arange(ny), n), k.ravel())
    group = Pp.agency[lo + person] * ny + year
    key = person.astype(np.int64) * S.n + _pick(rng, S.starts, S.cum, group)
    for _ in range(REDRAWS):  # a session drawn twice for a person: draw another one
        order = np.argsort(key, kind="stable")
        again = np.zeros(key.size, bool)
        again[order[1:]] = key[order[1:]] == key[order[:-1]]
        if not again.any():
            break
        key[again] = person[again] * S.n + _pick(rng, S.starts, S.cum, group[again])
    key = np.unique(key)
    person, session = key // S.n, key % S.n
    m = key.size
    sched, jp = S.schedule[session], S.jp[session]
    frontline_exec = U.frontline[Pp.unit[lo + person]] & (Pp.pos[lo + person] == M.EXECUTOR)
    attended, reason, completed = M.attendance(rng, sched, jp, frontline_exec)
    return SimpleNamespace(
        n=m, person=person, session=session, attended=attended, completed=completed,
        reason=reason,
    )  # fmt: skip


def _reaction_block(plan: _Plan, b: int, lo: int, E: SimpleNamespace) -> SimpleNamespace:
    """Reaction answers of the block's attendees who answered the survey."""
    rng = _rng(plan.seed, "reaction", b)
    S, A, Pp = plan.sessions, plan.agencies, plan.people
    att = np.flatnonzero(E.attended > 0)
    answered = rng.random(att.size) < A.response[Pp.agency[lo + E.person[att]]]
    idx = att[answered]
    s = E.session[idx]
    n, k = idx.size, len(bank.REACTION_ITEMS)
    resp, skipped = M.reaction_answers(rng, S.effect[s], S.method[s], S.provider[s], k)
    return SimpleNamespace(
        n=n * k, enrol=np.repeat(idx, k), item=np.tile(np.arange(k), n),
        response=resp.ravel(), skipped=skipped.ravel(),
    )  # fmt: skip


# ----------------------------------------------------------------------------- arrow
class _Tables:
    """One :class:`pyarrow.parquet.ParquetWriter` per table, with load()'s pandas types."""

    def __init__(self, out: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.pq, self.out = pa, pq, out
        self.writers: dict = {}
        self.rows: dict[str, int] = {}

    def schema(self, name: str):
        pa = self.pa
        frame = empty_table(name)
        if name == "units":
            for col in HIERARCHY_COLUMNS:
                frame[col] = pd.Categorical([])
        base = pa.Schema.from_pandas(frame, preserve_index=False)
        fields = [
            pa.field(f.name, pa.dictionary(pa.int32(), pa.string()))
            if pa.types.is_dictionary(f.type)
            else f
            for f in base
        ]
        return pa.schema(fields, metadata=base.metadata)

    def write(self, name: str, columns: dict) -> None:
        if name not in self.writers:
            self.writers[name] = self.pq.ParquetWriter(
                self.out / f"{name}.parquet", self.schema(name), compression="zstd"
            )
            self.rows[name] = 0
        writer = self.writers[name]
        table = self.pa.Table.from_arrays(list(columns.values()), schema=writer.schema)
        writer.write_table(table, row_group_size=ROW_GROUP)
        self.rows[name] += table.num_rows

    def close(self) -> None:
        for w in self.writers.values():
            w.close()

    # column builders
    def dict_(self, codes: np.ndarray, values) -> object:
        """Dictionary column of ``values[codes]`` (-1 = missing): the values used, sorted (the
        categories :func:`toolkit.data.load` gives an open vocabulary)."""
        pa = self.pa
        codes = np.asarray(codes)
        valid = codes >= 0
        used, local = np.unique(codes[valid], return_inverse=True)
        text = np.asarray(values)[used].astype(str)
        order = np.argsort(text, kind="stable")
        rank = np.empty(order.size, np.int32)
        rank[order] = np.arange(order.size, dtype=np.int32)
        idx = np.zeros(codes.size, np.int32)
        idx[valid] = rank[local]
        indices = pa.array(idx, mask=~valid) if not valid.all() else pa.array(idx)
        return pa.DictionaryArray.from_arrays(indices, pa.array(text[order]))

    def fixed(self, codes: np.ndarray, categories) -> object:
        """Dictionary column over a fixed vocabulary (the schema's categories, in order)."""
        pa = self.pa
        codes = np.asarray(codes)
        valid = codes >= 0
        idx = np.where(valid, codes, 0).astype(np.int32)
        indices = pa.array(idx, mask=~valid) if not valid.all() else pa.array(idx)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(categories), pa.string()))

    def int16(self, values: np.ndarray, missing: np.ndarray) -> object:
        return self.pa.array(np.asarray(values, np.int16), mask=np.asarray(missing, bool))

    def plain(self, values, type_=None) -> object:
        return self.pa.array(values, type=type_)


# ----------------------------------------------------------------------------- writers
def _write_units(t: _Tables, plan: _Plan) -> None:
    U, A = plan.units, plan.agencies
    region = A.region[U.agency]
    codes = np.array([CENTRAL_REGION[0], *(p[0] for p in PROVINCES)])
    names = np.array([CENTRAL_REGION[1], *(p[1] for p in PROVINCES)])
    periods = np.array(P.PERIODS)
    t.write(
        "units",
        {
            "unit_id": t.dict_(np.arange(U.n), U.id),
            "unit_name": t.plain(U.name.astype(str), t.pa.large_string()),
            "service_type": t.dict_(U.service, np.array(bank.SERVICE_TYPES)),
            "trained": t.plain(U.cohort >= 0),
            "first_trained_period": t.dict_(U.cohort, periods),
            "agency_id": t.dict_(U.agency, A.id),
            "agency_type": t.dict_(A.kind[U.agency], np.array(AGENCY_TYPES)),
            "region_id": t.dict_(region + 1, codes),
            "region_name": t.dict_(region + 1, names),
        },
    )


def _write_sessions(t: _Tables, plan: _Plan) -> None:
    S = plan.sessions
    t.write(
        "sessions",
        {
            "session_id": t.dict_(np.arange(S.n), S.id),
            "program": t.dict_(S.program, np.array(bank.PROGRAMS)),
            "method": t.fixed(S.method, METHODS),
            "provider": t.fixed(S.provider, PROVIDERS),
            "start_date": t.plain(S.start.astype("datetime64[s]")),
            "end_date": t.plain(S.end.astype("datetime64[s]")),
            "jp": t.plain(S.jp.astype(np.int64)),
            "schedule": t.fixed(S.schedule, SCHEDULES),
        },
    )


def _write_instruments(t: _Tables, seed: int) -> None:
    from toolkit.synth._build import Builder

    df = Builder(seed, 0.1, "").table("instruments")
    table = t.pa.Table.from_pandas(df, schema=t.schema("instruments"), preserve_index=False)
    t.writers["instruments"] = t.pq.ParquetWriter(
        t.out / "instruments.parquet", t.schema("instruments"), compression="zstd"
    )
    t.writers["instruments"].write_table(table)
    t.rows["instruments"] = table.num_rows


def _write_people_chunk(t: _Tables, plan: _Plan, lo: int, hi: int, acc: dict) -> None:
    """participants, enrollments and reaction rows of people ``lo:hi`` (whole blocks)."""
    Pp, S = plan.people, plan.sessions
    ids = _pseudonyms(Pp.number[lo:hi])
    sl = slice(lo, hi)
    t.write(
        "participants",
        {
            "participant_id": t.dict_(np.arange(hi - lo), ids),
            "unit_id": t.dict_(Pp.unit[sl], plan.units.id),
            "position_type": t.fixed(Pp.pos[sl], POSITION_TYPES),
            "grade": t.fixed(Pp.grade[sl], GRADES),
            "sex": t.fixed(np.where(Pp.female[sl], 0, 1), ("F", "M")),
            "age_band": t.fixed(Pp.band[sl], AGE_BANDS),
        },
    )
    enrols, answers = [], []
    for b in range(lo // BLOCK, -(-hi // BLOCK)):
        b_lo, b_hi = b * BLOCK, min((b + 1) * BLOCK, Pp.n)
        E = _enrol_block(plan, b, b_lo, b_hi)
        R = _reaction_block(plan, b, b_lo, E)
        E.person = E.person + (b_lo - lo)  # person index within the chunk
        R.enrol = R.enrol + sum(e.n for e in enrols)
        enrols.append(E)
        answers.append(R)
    E = SimpleNamespace(
        **{k: np.concatenate([getattr(e, k) for e in enrols]) for k in vars(enrols[0]) if k != "n"}
    )
    t.write(
        "enrollments",
        {
            "participant_id": t.dict_(E.person, ids),
            "session_id": t.dict_(E.session, S.id),
            "attended_jp": t.plain(E.attended),
            "completed": t.plain(E.completed),
            "absence_reason": t.fixed(E.reason, ABSENCE_REASONS),
        },
    )
    R = SimpleNamespace(
        **{
            k: np.concatenate([getattr(r, k) for r in answers])
            for k in vars(answers[0])
            if k != "n"
        }
    )
    t.write(
        "reaction",
        {
            "participant_id": t.dict_(E.person[R.enrol], ids),
            "session_id": t.dict_(E.session[R.enrol], S.id),
            "item_code": t.dict_(R.item, np.array([r[0] for r in bank.REACTION_ITEMS])),
            "response": t.int16(R.response, R.skipped),
        },
    )
    # Per-session sums for the cost lines (whole numbers of rupiah: exact in any order).
    ns = S.n
    grade = Pp.grade[lo + E.person]
    days = np.ceil(E.attended / P.JP_PER_DAY[S.schedule[E.session]])
    acc["enrolled"] += np.bincount(E.session, minlength=ns)
    acc["catering"] += np.bincount(
        E.session, weights=days * P.CATERING_PER_DAY[S.schedule[E.session]], minlength=ns
    )
    acc["salary"] += np.bincount(
        E.session,
        weights=E.attended * P.JP_HOURS * P.HOURLY_COMPENSATION[grade],
        minlength=ns,
    )


def _ikm_plan(plan: _Plan, total: int) -> SimpleNamespace:
    """Expected element scores of every unit x quarter and the respondents per cell."""
    rng = _rng(plan.seed, "ikm")
    U = plan.units
    nq = len(QUARTERS)
    q = np.array(QUARTERS)

    def clipped(sd_clip, size):
        sd, clip = sd_clip
        return np.clip(sd * rng.standard_normal(size), -clip, clip)

    unit = clipped(P.IKM_UNIT_SD, U.n)
    unit_elem = clipped(P.IKM_UNIT_ELEMENT_SD, (U.n, 9))
    noise = clipped(P.IKM_NOISE_SD, (U.n, nq))
    treated = (U.cohort[:, None] >= 0) & (q[None, :] >= U.cohort[:, None])
    mean = M.ikm_mean(unit, unit_elem, noise, U.cohort, q, treated)
    weights = rng.uniform(*P.IKM_RESPONDENTS, size=U.n * nq)
    counts = M.largest_remainder(total, weights).reshape(U.n, nq)
    return SimpleNamespace(mean=np.clip(mean, *P.IKM_MEAN_RANGE), counts=counts)


def _write_ikm(t: _Tables, plan: _Plan, total: int) -> None:
    cells = _ikm_plan(plan, total)
    U = plan.units
    nq = len(QUARTERS)
    width = len(str(max(int(cells.counts.max()), 1)))
    periods = np.array(P.PERIODS)
    rho = P.IKM_RESPONDENT_SHARE
    for b in range(-(-U.n // UNIT_BLOCK)):
        rng = _rng(plan.seed, "ikm", b)
        u0, u1 = b * UNIT_BLOCK, min((b + 1) * UNIT_BLOCK, U.n)
        counts = cells.counts[u0:u1].ravel()
        if counts.sum() == 0:
            continue
        cell, rank = M.ranges(counts)
        p = (cells.mean[u0:u1].reshape(-1, 9)[cell] - 1) / 3
        m = cell.size
        z = np.sqrt(rho) * rng.standard_normal((m, 1))
        u = ndtr(z + np.sqrt(1 - rho) * rng.standard_normal((m, 9)))
        f0 = (1 - p) ** 3
        f1 = f0 + 3 * p * (1 - p) ** 2
        f2 = 1 - p**3
        score = 1 + (u > f0) + (u > f1) + (u > f2)
        blank = rng.random((m, 9)) < P.IKM_MISSING
        resp_ids = np.char.add(
            "R", np.char.zfill((np.arange(rank.max() + 1) + 1).astype(str), width)
        )
        cols = {
            "unit_id": t.dict_(u0 + cell // nq, U.id),
            "period": t.dict_(np.array(QUARTERS)[cell % nq], periods),
            "respondent_id": t.dict_(rank, resp_ids),
        }
        for j, (code, _, _) in enumerate(IKM_ELEMENTS):
            cols[code] = t.int16(score[:, j], blank[:, j])
        t.write("ikm_responses", cols)


def _write_costs(t: _Tables, plan: _Plan, acc: dict) -> None:
    rng = _rng(plan.seed, "costs")
    S = plan.sessions
    ns = S.n
    fee = S.jp * P.FEE_PER_JP[S.provider]
    fee = fee * np.exp(P.FEE_NOISE_SD * rng.standard_normal(ns) - P.FEE_NOISE_SD**2 / 2)
    elearn = S.method == M.E_LEARNING
    materials = np.where(
        elearn, P.MATERIALS_E_LEARNING, acc["enrolled"] * P.MATERIALS_PER_PARTICIPANT
    )
    catering = np.where(elearn, 0.0, acc["catering"])
    travel = P.TRAVEL_MEDIAN[S.provider] * np.exp(P.TRAVEL_LOG_SD * rng.standard_normal(ns))
    amounts = np.stack(
        [np.round(fee, -3), materials, np.round(catering), np.round(travel, -3),
         np.rint(acc["salary"])],
        axis=1,
    )  # fmt: skip
    cats = np.array(
        [
            COST_INDEX["facilitator_fees"],
            COST_INDEX["materials"],
            COST_INDEX["venue_catering"],
            COST_INDEX["travel_accommodation"],
            COST_INDEX["participant_salaries"],
        ]
    )
    si, ci = np.nonzero(amounts > 0)
    # National programme-level lines (needs analysis, design, evaluation, overhead).
    scale = plan.sizes.scale * 1000  # the sample's programme costs x 1000 at full shape
    delivery = np.bincount(S.program, weights=amounts[:, :4].sum(1), minlength=6)
    progs = np.unique(S.program)
    npr = progs.size

    def uniform(lo_hi):
        return np.round(rng.uniform(*lo_hi, size=npr) * scale, -5)

    prog_amounts = np.stack(
        [uniform(P.NEEDS_ANALYSIS), uniform(P.DESIGN), uniform(P.EVALUATION),
         np.round(P.OVERHEAD_SHARE * delivery[progs], -3)],
        axis=1,
    )  # fmt: skip
    prog_cats = np.array(
        [COST_INDEX[c] for c in ("needs_analysis", "design_development", "evaluation", "overhead")]
    )
    prorate = np.ones((npr, 4))
    prorate[:, 1] = rng.choice([2.0, 3.0], size=npr)
    category = np.concatenate([cats[ci], np.tile(prog_cats, npr)])
    descriptions = np.array([bank.COST_DESCRIPTIONS[c] for c in COST_CATEGORIES_ORDER])
    t.write(
        "costs",
        {
            "session_id": t.dict_(np.concatenate([si, np.full(4 * npr, -1)]), S.id),
            "program": t.dict_(
                np.concatenate([S.program[si], np.repeat(progs, 4)]), np.array(bank.PROGRAMS)
            ),
            "category": t.fixed(category, COST_CATEGORIES_ORDER),
            "amount_idr": t.plain(
                np.concatenate([amounts[si, ci], prog_amounts.ravel()]).astype(np.int64)
            ),
            "prorate_years": t.plain(np.concatenate([np.ones(si.size), prorate.ravel()])),
            "description": t.plain(descriptions[category].astype(str), t.pa.large_string()),
        },
    )


COST_CATEGORIES_ORDER = TABLES["costs"].column("category").categories
COST_INDEX = {c: i for i, c in enumerate(COST_CATEGORIES_ORDER)}


# ----------------------------------------------------------------------------- public
def write_national(
    out: str | Path,
    *,
    participants: int = NATIONAL_PARTICIPANTS,
    agencies: int = NATIONAL_AGENCIES,
    seed: int = 2025,
    chunk_people: int = 65 * BLOCK,
    overwrite: bool = False,
) -> dict[str, int]:
    """Generate national-shape data and write it to ``<out>/<table>.parquet`` in chunks.

    Parameters
    ----------
    out : str or Path
        Folder to write to (created if needed). Files other than the eight written here are
        never touched.
    participants : int
        Civil servants (4.3 million by default). Enrolments (about 4.65 per person over the
        two years), reaction answers and IKM responses scale with it: 20 M, 50 M and 30 M at
        the default.
    agencies : int
        Agencies (instansi), at least 10: about 13 % central, the provincial governments
        (up to 38), and regency/city governments spread over the provinces in proportion to
        their real numbers (624 = 78 + 38 + 508, the default).
    seed : int
        Seed of every random draw.
    chunk_people : int
        People generated and written at a time (rounded up to a multiple of
        :data:`BLOCK`); memory grows with it, the rows written do not depend on it.
    overwrite : bool
        Replace ``<table>.parquet`` files already in ``out``; by default an existing one
        stops the run before anything is written.

    Returns
    -------
    dict
        Rows written per table, in :data:`NATIONAL_TABLES` order.

    Raises
    ------
    ValueError
        For sizes out of range (fewer than 10 agencies, or fewer than 10 people per agency).
    FileExistsError
        When a table file exists and ``overwrite`` is False.

    Notes
    -----
    Peak memory is the whole-population arrays (about 40 bytes a person: 0.2 GB at full
    shape), the sessions, and one chunk's rows (about 2 kB a person). Columns and dtypes are
    those of :func:`toolkit.data.load` (``pandas.read_parquet`` gives the same dtypes), plus
    the hierarchy columns of ``units`` (:data:`HIERARCHY_COLUMNS`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     rows = write_national(d, participants=20_000, agencies=60, seed=1)
    ...     units = pd.read_parquet(f"{d}/units.parquet")
    >>> rows["participants"], 80_000 < rows["enrollments"] < 106_000
    (20000, True)
    >>> units.columns[-4:].tolist()
    ['agency_id', 'agency_type', 'region_id', 'region_name']
    """
    for name, value, low in (("participants", participants, 10), ("agencies", agencies, 10),
                             ("seed", seed, 0), ("chunk_people", chunk_people, 1)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"`{name}` must be a whole number, but {value!r} was passed.")
        check_number(name, int(value), low=low)
    if participants < 10 * agencies:
        raise ValueError(
            f"`participants` must be at least 10 per agency ({10 * agencies} for "
            f"{agencies} agencies), but {participants} was passed."
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    existing = [n for n in NATIONAL_TABLES if (out / f"{n}.parquet").exists()]
    if existing and not overwrite:
        raise FileExistsError(
            f"{out} already holds {', '.join(f'{n}.parquet' for n in existing)}; pass "
            "overwrite=True to replace them, or choose an empty folder."
        )
    scale = participants / NATIONAL_PARTICIPANTS
    sizes = _Sizes(int(participants), int(agencies), round(NATIONAL_IKM * scale), scale)
    plan = _Plan(int(seed), sizes)
    t = _Tables(out)
    try:
        _write_units(t, plan)
        step = -(-int(chunk_people) // BLOCK) * BLOCK
        ns = plan.sessions.n
        acc = {"enrolled": np.zeros(ns, np.int64), "catering": np.zeros(ns),
               "salary": np.zeros(ns)}  # fmt: skip
        for lo in range(0, plan.people.n, step):
            _write_people_chunk(t, plan, lo, min(lo + step, plan.people.n), acc)
        _write_sessions(t, plan)
        _write_instruments(t, int(seed))
        _write_ikm(t, plan, sizes.ikm)
        _write_costs(t, plan, acc)
    finally:
        t.close()
    return {n: t.rows.get(n, 0) for n in NATIONAL_TABLES}
