"""Planted parameters of :mod:`toolkit.synth`: every effect the synthetic data carry.

All numbers that shape the sample data live here, with their units, so that the generator
(:mod:`toolkit.synth`) and the computation of the population truth
(:mod:`toolkit.synth._truth`) read the same values. Orders follow :mod:`toolkit.schema`
(``METHODS``, ``PROVIDERS``, ``SCHEDULES``, ``ABSENCE_REASONS``, ``GRADES``,
``POSITION_TYPES``) and :data:`toolkit.synth._bank.PROGRAMS`.
"""

from __future__ import annotations

import numpy as np

# ----------------------------------------------------------------------------- calendar
#: Survey quarters of the IKM panel; quarter index 0 is 2023Q1.
PERIODS = tuple(f"{y}Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4))
#: First day of each quarter in PERIODS.
QUARTER_START = np.array(
    [f"{p[:4]}-{3 * (int(p[-1]) - 1) + 1:02d}-01" for p in PERIODS], dtype="datetime64[D]"
)
#: Age bands and NIP-derived facts refer to this date.
REFERENCE_DATE = np.datetime64("2024-01-01")
#: Data were extracted at this date: follow-up waves later than this are not observed.
DATA_CUTOFF = np.datetime64("2025-12-31")

# ----------------------------------------------------------------------------- sizes
BASE_UNITS = 20
BASE_PARTICIPANTS = 600
BASE_SESSIONS = 40

# ----------------------------------------------------------------------------- participants
#: P(position | unit kind): rows (health units, other units), columns POSITION_TYPES.
POSITION_PROBS = np.array([[0.08, 0.52, 0.40], [0.12, 0.22, 0.66]])
#: P(grade | position): rows POSITION_TYPES, columns GRADES (I, II, III, IV, PPPK).
GRADE_PROBS = np.array(
    [
        [0.00, 0.00, 0.55, 0.45, 0.00],
        [0.00, 0.05, 0.55, 0.15, 0.25],
        [0.01, 0.34, 0.38, 0.00, 0.27],
    ]
)
#: P(female) in health units and in the others.
FEMALE_SHARE = (0.68, 0.45)
#: Age in years on REFERENCE_DATE by grade: low + (high - low) * Beta(a, b).
AGE_PARAMS = np.array(
    [
        [30, 57, 2.0, 2.0],
        [22, 50, 2.0, 3.0],
        [24, 57, 2.2, 2.2],
        [35, 57, 3.0, 1.8],
        [23, 52, 2.0, 2.5],
    ]
)

# ----------------------------------------------------------------------------- sessions
#: Share of sessions by quarter (cohort quarters 2024Q1, 2024Q3, 2025Q1, 2025Q3 busiest).
SESSION_QUARTER_WEIGHTS = {
    "2024Q1": 0.20,
    "2024Q2": 0.07,
    "2024Q3": 0.20,
    "2024Q4": 0.07,
    "2025Q1": 0.20,
    "2025Q2": 0.07,
    "2025Q3": 0.12,
    "2025Q4": 0.07,
}
#: Share of sessions by programme (PROGRAMS order).
PROGRAM_WEIGHTS = np.array([0.25, 0.20, 0.12, 0.13, 0.12, 0.18])
#: P(method | programme): rows PROGRAMS, columns METHODS.
METHOD_GIVEN_PROGRAM = np.array(
    [
        [0.35, 0.20, 0.20, 0.10, 0.15],
        [0.35, 0.25, 0.10, 0.15, 0.15],
        [0.30, 0.20, 0.35, 0.05, 0.10],
        [0.35, 0.15, 0.30, 0.10, 0.10],
        [0.15, 0.10, 0.05, 0.70, 0.00],
        [0.30, 0.10, 0.20, 0.05, 0.35],
    ]
)
#: Share of sessions by provider (assigned independently of programme and method).
PROVIDER_SHARES = np.array([0.50, 0.25, 0.25])
#: P(schedule | method): rows METHODS, columns SCHEDULES.
SCHEDULE_GIVEN_METHOD = np.array(
    [
        [0.55, 0.15, 0.12, 0.18],
        [0.55, 0.20, 0.10, 0.15],
        [0.50, 0.15, 0.10, 0.25],
        [0.70, 0.05, 0.20, 0.05],
        [0.00, 0.15, 0.00, 0.85],
    ]
)
#: Planned JP by method (one of four, equally likely): rows METHODS.
JP_CHOICES = np.array(
    [[16, 20, 24, 30], [8, 8, 10, 12], [32, 36, 40, 40], [16, 20, 24, 32], [10, 12, 15, 20]]
)
#: JP delivered per day of attendance by schedule (flexible = blended half days).
JP_PER_DAY = np.array([8, 3, 8, 4])
#: Extra calendar days of on-the-job project work after a project-based session's classes.
PROJECT_DAYS = 21

# ----------------------------------------------------------------------------- enrollments
#: P(a participant enrols in 1, 2 or 3 sessions).
N_SESSIONS_PROBS = np.array([0.20, 0.45, 0.35])
#: Programme affinity multipliers by unit service type (applied to PROGRAM_WEIGHTS).
PROGRAM_AFFINITY = {
    "civil_registry": (1.5, 1.0, 1.0, 1.0, 0.3, 1.8),
    "disaster_management": (0.5, 1.0, 1.0, 1.5, 6.0, 0.5),
    "health": (1.2, 1.0, 1.0, 1.0, 1.6, 0.7),
    "hospital": (1.2, 1.0, 1.0, 1.0, 1.6, 0.7),
    "primary_health": (1.2, 1.0, 1.0, 1.0, 1.6, 0.7),
    "one_stop_licensing": (1.5, 1.0, 1.0, 1.0, 0.3, 2.0),
    "social_services": (1.3, 1.0, 1.0, 1.3, 1.0, 1.0),
    "transport": (1.0, 1.0, 1.0, 1.0, 1.2, 1.2),
    "public_order": (1.0, 1.3, 1.0, 1.0, 2.5, 0.5),
    "subdistrict": (1.3, 1.3, 1.0, 1.0, 0.8, 1.0),
    "civil_service_hr": (1.0, 1.0, 1.3, 1.0, 0.3, 1.5),
}
#: Programme affinity multipliers by position (leadership mostly for structural posts).
POSITION_AFFINITY = np.array(
    [
        [1.0, 1.0, 4.0, 1.0, 1.0, 1.0],
        [1.0, 1.0, 0.6, 1.0, 1.0, 1.0],
        [1.0, 1.0, 0.2, 1.0, 1.0, 1.0],
    ]
)
#: P(missing some hours | schedule) (SCHEDULES order).
P_MISSED = np.array([0.30, 0.20, 0.24, 0.14])
#: Multiplier of P_MISSED for executors in frontline units, office-hours sessions only.
FRONTLINE_MISSED_FACTOR = 1.35
#: P(missing every hour | missing some).
P_ZERO_GIVEN_MISSED = 0.22
#: Attended share of partial attenders ~ Beta(a, b).
PARTIAL_BETA = (5.0, 2.2)
#: Completion needs at least this share of the planned JP.
COMPLETION_MIN_SHARE = 0.8
#: P(no certificate despite enough hours) (assignment or exam not passed).
P_FAIL_OTHER = 0.03
#: P(reason | schedule): rows SCHEDULES, columns ABSENCE_REASONS.
REASON_GIVEN_SCHEDULE = np.array(
    [
        [0.38, 0.24, 0.07, 0.11, 0.14, 0.06],
        [0.16, 0.14, 0.08, 0.22, 0.10, 0.30],
        [0.10, 0.16, 0.08, 0.20, 0.08, 0.38],
        [0.18, 0.12, 0.12, 0.20, 0.16, 0.22],
    ]
)

# ----------------------------------------------------------------------------- Level 1
#: 1–5 items: cumulative P(<= 1..4) at latent mean 0 (P(1..5) = .02 .04 .16 .40 .38); the
#: ordered-probit thresholds are their normal quantiles.
REACTION_CUM = (0.02, 0.06, 0.22, 0.62)
#: Thresholds of the 0–10 recommend item: cumulative P(<= 0..9) at latent mean 0.
RECOMMEND_CUM = (0.01, 0.015, 0.02, 0.03, 0.045, 0.095, 0.155, 0.275, 0.525, 0.745)
#: Latent item means (REACTION_ITEMS order, recommend last).
REACTION_ITEM_MU = np.array([0.25, 0.05, 0.0, 0.05, -0.25, -0.35, 0.45, 0.0])
#: Loading of each item on the latent satisfaction (variance of the latent response is 1).
REACTION_LOADING = np.array([0.66, 0.66, 0.66, 0.66, 0.62, 0.62, 0.62, 0.80])
#: Share of the latent satisfaction's variance that is shared by a session.
REACTION_SESSION_SHARE = 0.15
#: Latent shift of every item by method (METHODS order).
REACTION_METHOD_SHIFT = np.array([0.10, -0.10, 0.15, 0.30, -0.25])
#: Latent shift of the trainer item (R03) by provider (PROVIDERS order): the provider effect.
TRAINER_PROVIDER_SHIFT = np.array([0.0, 0.55, 0.45])
#: P("tidak tahu", NA_CODE) for every item, and for facilities / trainer in e-learning.
REACTION_NA = {"base": 0.005, "facilities_e_learning": 0.55, "trainer_e_learning": 0.15}
#: P(item left empty).
REACTION_SKIP = 0.015

# ----------------------------------------------------------------------------- Level 2
#: Guessing floor of the 4-option items (3PL lower asymptote).
GUESSING = 0.2
#: Item difficulty ~ N(mean, sd) and log discrimination ~ N(mean, sd), per programme.
ITEM_DIFFICULTY = (-0.4, 0.9)
ITEM_LOG_DISCRIMINATION = (0.1, 0.3)
#: The mis-keyed item and its (negative) discrimination.
MISKEYED_ITEM = "SE07"
MISKEYED_DISCRIMINATION = -0.9
#: Mean pre-test ability by grade (GRADES order) and its SD.
ABILITY_MEAN = np.array([-0.5, -0.3, 0.0, 0.3, -0.1])
ABILITY_SD = 0.9
#: Share of participants who already master the content (ability + CEILING_SHIFT).
CEILING_SHARE = 0.10
CEILING_SHIFT = 2.5
#: Mean ability gain (logits) by method (METHODS order), session SD and person SD.
METHOD_GAIN = np.array([0.90, 0.45, 1.25, 1.35, 0.50])
GAIN_SESSION_SD = 0.15
GAIN_PERSON_SD = 0.35
#: P(taking the post-test) for completers and for other attendees; P(answer left empty).
P_POST = (0.97, 0.5)
TEST_SKIP = 0.02

# ----------------------------------------------------------------------------- Level 3
#: Share of completers followed up.
BEHAVIOR_SAMPLE = 0.6
#: Thresholds of the 1–5 frequency and agreement scales (latent residual SD below).
TAU_FREQ = (-1.6, -0.7, 0.3, 1.3)
TAU_AGREE = (-1.9, -1.1, -0.25, 0.85)
#: Latent item intercepts of competency items (two per competency, COMPETENCIES order).
BEHAVIOR_ITEM_MU = np.array([0.3, 0.1, 0.0, -0.2, 0.0, 0.2, -0.1, -0.2, -0.3, -0.4, -0.2, 0.0])
BEHAVIOR_PERSON_SD = 0.6
BEHAVIOR_RATER_SD = 0.3
BEHAVIOR_RESID_SD = 0.7
#: Self-rating inflation (latent), constant over waves.
SELF_BIAS = 0.55
#: Latent change at 3 months; multiplier at 6 months (fading); extra self-perceived change.
CHANGE_3M = 0.55
FADE_6M = 0.8
SELF_EXTRA_CHANGE = 0.15
#: Extra latent change by method (METHODS order).
METHOD_CHANGE = np.array([0.10, -0.10, 0.20, 0.20, -0.10])
#: Latent change per SD of the participant's drivers (supervisor support, opportunity, …).
DRIVER_SLOPE = 0.3
#: Driver items: intercepts (DRIVERS order), loading on the driver latent, residual SD.
DRIVER_MU = np.array([0.0, 0.2, -0.3, -0.5])
DRIVER_LOADING = 0.85
DRIVER_RESID_SD = 0.55
#: P(a rater skips a whole wave): rows (self, supervisor), columns WAVES.
BEHAVIOR_NONRESPONSE = np.array([[0.02, 0.08, 0.15], [0.03, 0.12, 0.22]])
BEHAVIOR_SKIP = 0.02
#: Days between session and wave: baseline before the start, follow-ups after the end.
WAVE_DAYS = (-14, 91, 182)

# ----------------------------------------------------------------------------- Level 4 (IKM)
#: Element means on the 1–4 scale (u1..u9) for an average comparison unit in 2023Q1.
IKM_BASE = np.array([3.22, 3.02, 2.98, 3.45, 3.18, 3.05, 3.10, 2.88, 3.05])
#: Training effect by element on the 1–4 scale, from the first trained quarter on.
#: Mean over elements 0.16 = +4.0 points of converted IKM (x 25).
IKM_EFFECT = np.array([0.0, 0.27, 0.0, 0.0, 0.0, 0.45, 0.45, 0.27, 0.0])
#: ``design="dynamic"`` (not the committed sample): the effect of a unit trained in cohort c
#: (cohorts in time order), e quarters after training, is IKM_EFFECT x IKM_DYNAMIC_COHORT[c]
#: x (IKM_DYNAMIC_START + IKM_DYNAMIC_RAMP x e): it grows with time since training and is
#: larger for the earlier cohorts, the case in which two-way fixed effects are biased. At
#: most 1.35 x IKM_EFFECT, so that IKM_MEAN_RANGE stays non-binding.
IKM_DYNAMIC_COHORT = np.array([1.0, 0.75, 0.5, 0.25])
IKM_DYNAMIC_START = 0.3
IKM_DYNAMIC_RAMP = 0.15
#: Trained units start lower (selection), 1–4 scale.
IKM_TRAINED_GAP = -0.06
#: Common trend per quarter and seasonal pattern (Q1..Q4), 1–4 scale.
IKM_TREND = 0.01
IKM_SEASON = np.array([-0.012, 0.004, 0.016, -0.008])
#: Unit effect SD (and clip), unit x element SD (and clip), unit x quarter noise SD (and clip).
IKM_UNIT_SD = (0.07, 0.15)
IKM_UNIT_ELEMENT_SD = (0.04, 0.10)
IKM_NOISE_SD = (0.025, 0.075)
#: Correlation of a respondent's answers (Gaussian copula weight of the shared factor).
IKM_RESPONDENT_SHARE = 0.45
#: Respondents per unit and quarter (inclusive range).
IKM_RESPONDENTS = (100, 200)
#: P(element left empty) (u4 Biaya/Tarif often empty: many services are free).
IKM_MISSING = np.array([0.01, 0.015, 0.015, 0.10, 0.02, 0.015, 0.015, 0.04, 0.02])
#: Cell means are kept inside this range (never binding with the values above).
IKM_MEAN_RANGE = (1.2, 3.97)

# ----------------------------------------------------------------------------- Level 5
#: Facilitator fee per JP in rupiah by provider (PROVIDERS order), lognormal noise SD.
FEE_PER_JP = np.array([350_000, 1_000_000, 1_250_000])
FEE_NOISE_SD = 0.10
#: Compensation per hour in rupiah by grade (GRADES order): salary + allowances + TPP.
HOURLY_COMPENSATION = np.array([28_000, 36_000, 50_000, 70_000, 38_000])
#: Hours per JP (45 minutes).
JP_HOURS = 0.75
#: Materials per enrolled participant (classroom) and per e-learning session (content).
MATERIALS_PER_PARTICIPANT = 85_000
MATERIALS_E_LEARNING = 5_000_000
#: Venue and catering per participant-day attended by schedule (e-learning none).
CATERING_PER_DAY = np.array([120_000, 50_000, 150_000, 60_000])
#: Travel and accommodation of external speakers per session: median rupiah, log SD.
TRAVEL_MEDIAN = np.array([0, 4_500_000, 5_500_000])
TRAVEL_LOG_SD = 0.25
#: Programme-level costs per programme (x scale): needs analysis, design, evaluation.
NEEDS_ANALYSIS = (10_000_000, 25_000_000)
DESIGN = (30_000_000, 80_000_000)
EVALUATION = (15_000_000, 30_000_000)
#: Overhead as a share of the programme's delivery costs.
OVERHEAD_SHARE = 0.08

MEASURES = ("time_saved", "faster_service", "fewer_errors", "fewer_complaints")
#: P(measure), median annual value (rupiah) by measure and log SD.
MEASURE_WEIGHTS = np.array([0.35, 0.25, 0.20, 0.20])
BENEFIT_MEDIAN = np.array([6_000_000, 5_000_000, 4_000_000, 3_000_000])
BENEFIT_LOG_SD = 0.75
#: Share of completed enrolments with estimates; P(two measures rather than one).
BENEFIT_SAMPLE = 0.5
P_TWO_MEASURES = 0.4
#: Attribution ~ Beta, confidence ~ Beta (rounded to 0.05).
ATTRIBUTION_BETA = (4.0, 4.0)
CONFIDENCE_BETA = (6.0, 3.0)
#: P(no figure given); share of extreme unsupported claims (x 80–200 the median).
BENEFIT_MISSING = 0.08
EXTREME_SHARE = 0.006
EXTREME_FACTOR = (80, 200)

# ----------------------------------------------------------------------------- availability
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat")
TIMES = ("0800", "1000", "1300", "1530", "1900")
SLOTS = tuple(f"{d}_{t}" for d in DAYS for t in TIMES)
#: P(available) for a functional officer outside frontline units with an average person
#: effect (rows DAYS, columns TIMES). Friday 13:00 is Friday prayer.
AVAILABILITY_BASE = np.array(
    [
        [0.20, 0.30, 0.40, 0.50, 0.62],
        [0.35, 0.38, 0.45, 0.52, 0.66],
        [0.35, 0.38, 0.45, 0.52, 0.66],
        [0.35, 0.38, 0.45, 0.52, 0.64],
        [0.30, 0.35, 0.08, 0.45, 0.52],
        [0.70, 0.74, 0.55, 0.45, 0.30],
    ]
)
#: Logit shifts by position (POSITION_TYPES order) for office-hour slots and for others.
AVAILABILITY_OFFICE_SHIFT = np.array([-0.4, 0.0, -0.6])
AVAILABILITY_OTHER_SHIFT = np.array([-0.3, 0.0, 0.15])
#: Extra office-hour logit shift for executors in frontline units.
AVAILABILITY_FRONTLINE_SHIFT = -0.6
#: SD of the person effect (logit).
AVAILABILITY_PERSON_SD = 0.9

# ----------------------------------------------------------------------------- comments
P_COMMENT = 0.6
#: P(theme mentioned): time by schedule (SCHEDULES order); facilities by e-learning or not.
THEME_TIME = np.array([0.45, 0.22, 0.28, 0.15])
THEME_SPEAKER = 0.28
THEME_MATERIALS = 0.30
THEME_FACILITIES = (0.22, 0.06)
THEME_RELEVANCE = 0.32
#: P(negative | theme mentioned): time (office hours, other); speaker by provider; others.
NEG_TIME = (0.85, 0.55)
NEG_SPEAKER = np.array([0.45, 0.15, 0.20])
NEG_MATERIALS = 0.35
NEG_FACILITIES = 0.8
NEG_RELEVANCE = 0.15
