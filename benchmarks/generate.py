"""Write a synthetic bpoterms glossary of any size, the same bytes for the same size and seed.

The benchmarks need glossaries far larger than the built-in one that still look like real user
files: multi-word names made of BPO vocabulary, acronyms from initials, aliases, categories,
cross-references and 20–50 word definitions. Acronyms collide naturally once the initials run out;
the first entry keeps the acronym and later ones go without, so the file passes `bpoterms validate`
(which rejects two entries claiming one name in a file).

Stdlib only, and no YAML library: the writer emits the format directly so that 200,000 entries take
seconds, not minutes. A `.meta.json` beside each file records how it was made and the probe queries
the harness uses (an exact term, its acronym, an alias, a misspelling).

    python benchmarks/generate.py --entries 12000 --seed 1 -o benchmarks/out/glossary-12000-s1.yaml
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# Bump when the output for a given (entries, seed) changes, so cached files are regenerated.
GENERATOR_VERSION = 1

MODIFIERS = (
    "Average",
    "Blended",
    "Inbound",
    "Outbound",
    "Offshore",
    "Nearshore",
    "Onshore",
    "Virtual",
    "Remote",
    "Automated",
    "Predictive",
    "Dynamic",
    "Real-Time",
    "Scheduled",
    "Unplanned",
    "Planned",
    "Net",
    "Gross",
    "Weighted",
    "Adjusted",
    "Peak",
    "Daily",
    "Weekly",
    "Monthly",
    "Quarterly",
    "Annual",
    "Internal",
    "External",
    "Shared",
    "Dedicated",
    "Managed",
    "Outsourced",
    "Captive",
    "Hybrid",
    "Digital",
    "Omnichannel",
    "Multichannel",
    "Self-Service",
    "Assisted",
    "Escalated",
    "Priority",
    "Tiered",
    "Global",
    "Regional",
    "Local",
    "Strategic",
    "Operational",
    "Transactional",
    "Standard",
    "Premium",
    "Fixed",
    "Variable",
    "Incremental",
    "Projected",
    "Effective",
    "Billable",
    "Productive",
    "Idle",
    "Available",
    "Compliant",
    "Secure",
    "Certified",
    "Interim",
    "Rolling",
    "Cumulative",
    "Median",
    "Minimum",
    "Maximum",
    "First",
    "Final",
    "Primary",
    "Secondary",
    "Backup",
    "Overflow",
    "After-Hours",
    "Seasonal",
)
DOMAINS = (
    "Agent",
    "Customer",
    "Caller",
    "Client",
    "Vendor",
    "Supplier",
    "Partner",
    "Site",
    "Queue",
    "Call",
    "Contact",
    "Chat",
    "Email",
    "Ticket",
    "Case",
    "Interaction",
    "Session",
    "Transfer",
    "Escalation",
    "Callback",
    "Hold",
    "Wrap-Up",
    "Handle",
    "Talk",
    "Wait",
    "Answer",
    "Abandon",
    "Resolution",
    "Retention",
    "Attrition",
    "Onboarding",
    "Training",
    "Coaching",
    "Nesting",
    "Calibration",
    "Quality",
    "Compliance",
    "Security",
    "Privacy",
    "Billing",
    "Payroll",
    "Invoice",
    "Payment",
    "Collections",
    "Claims",
    "Order",
    "Fulfillment",
    "Returns",
    "Refund",
    "Account",
    "Service",
    "Support",
    "Workforce",
    "Schedule",
    "Shift",
    "Roster",
    "Capacity",
    "Staffing",
    "Occupancy",
    "Utilization",
    "Adherence",
    "Shrinkage",
    "Overtime",
    "Break",
    "Skill",
    "Routing",
    "Dialer",
    "Script",
    "Knowledge",
    "Process",
    "Automation",
    "Transition",
    "Migration",
    "Governance",
    "Contract",
    "Pricing",
    "Penalty",
    "Incentive",
    "Revenue",
    "Margin",
    "Sentiment",
    "Feedback",
    "Survey",
    "Loyalty",
    "Experience",
    "Journey",
    "Channel",
    "Identity",
    "Fraud",
    "Risk",
    "Incident",
    "Outage",
    "Change",
    "Release",
    "License",
    "Seat",
    "Headcount",
    "Language",
    "Voice",
)
HEADS = (
    "Rate",
    "Time",
    "Score",
    "Index",
    "Ratio",
    "Level",
    "Model",
    "Policy",
    "Agreement",
    "Plan",
    "Report",
    "Review",
    "Threshold",
    "Target",
    "Window",
    "Cycle",
    "Matrix",
    "Framework",
    "Protocol",
    "Procedure",
    "Checklist",
    "Dashboard",
    "Scorecard",
    "Log",
    "Register",
    "Backlog",
    "Variance",
    "Forecast",
    "Cost",
    "Fee",
    "Credit",
    "Budget",
    "Allowance",
    "Limit",
    "Factor",
    "Metric",
    "Baseline",
    "Benchmark",
    "Trend",
    "Gap",
    "Buffer",
    "Pool",
    "Tier",
    "Desk",
    "Center",
    "Hub",
    "Unit",
    "Pod",
    "Team",
    "Owner",
    "Lead",
    "Manager",
    "Analyst",
    "Specialist",
    "Coordinator",
    "Champion",
    "Program",
    "Strategy",
    "Assessment",
    "Exception",
    "Request",
    "Workflow",
    "Summary",
    "Audit",
    "Count",
    "Volume",
    "Percentage",
    "Duration",
    "Interval",
    "Charter",
    "Playbook",
    "Escalation Path",
)

# Word → category, checked from the last word of a name backwards; names match the built-in ids.
CATEGORY_OF = {
    **dict.fromkeys(
        (
            "Rate",
            "Time",
            "Score",
            "Index",
            "Ratio",
            "Percentage",
            "Duration",
            "Count",
            "Variance",
            "Metric",
            "Benchmark",
            "Baseline",
            "Trend",
            "Volume",
        ),
        "metrics",
    ),
    **dict.fromkeys(
        ("Team", "Owner", "Lead", "Manager", "Analyst", "Specialist", "Coordinator", "Champion", "Agent", "Pod"),
        "roles",
    ),
    **dict.fromkeys(
        (
            "Schedule",
            "Shift",
            "Roster",
            "Capacity",
            "Staffing",
            "Occupancy",
            "Utilization",
            "Adherence",
            "Shrinkage",
            "Overtime",
            "Break",
            "Forecast",
            "Headcount",
            "Seat",
        ),
        "workforce",
    ),
    **dict.fromkeys(
        (
            "Dialer",
            "Routing",
            "Automation",
            "Script",
            "Knowledge",
            "Dashboard",
            "Release",
            "Outage",
            "Incident",
            "Change",
            "Voice",
            "Automated",
            "Predictive",
            "Digital",
        ),
        "technology",
    ),
    **dict.fromkeys(
        (
            "Contract",
            "Pricing",
            "Penalty",
            "Incentive",
            "Agreement",
            "Fee",
            "Credit",
            "Charter",
            "Governance",
            "License",
            "Budget",
            "Allowance",
        ),
        "contracts",
    ),
    **dict.fromkeys(
        (
            "Compliance",
            "Security",
            "Privacy",
            "Audit",
            "Fraud",
            "Risk",
            "Identity",
            "Protocol",
            "Secure",
            "Compliant",
            "Certified",
        ),
        "compliance",
    ),
    **dict.fromkeys(
        (
            "Quality",
            "Calibration",
            "Coaching",
            "Training",
            "Nesting",
            "Scorecard",
            "Checklist",
            "Assessment",
            "Review",
            "Onboarding",
        ),
        "quality",
    ),
    **dict.fromkeys(
        (
            "Call",
            "Chat",
            "Email",
            "Transfer",
            "Escalation",
            "Callback",
            "Hold",
            "Channel",
            "Inbound",
            "Outbound",
            "Omnichannel",
            "Multichannel",
            "Queue",
            "Contact",
            "Interaction",
            "Abandon",
            "Answer",
            "Talk",
            "Wait",
            "Wrap-Up",
            "Handle",
        ),
        "channels",
    ),
    **dict.fromkeys(
        (
            "Offshore",
            "Nearshore",
            "Onshore",
            "Captive",
            "Outsourced",
            "Vendor",
            "Supplier",
            "Transition",
            "Migration",
            "Hybrid",
            "Model",
        ),
        "outsourcing-models",
    ),
    **dict.fromkeys(
        (
            "Billing",
            "Payroll",
            "Invoice",
            "Payment",
            "Collections",
            "Claims",
            "Order",
            "Fulfillment",
            "Returns",
            "Refund",
            "Desk",
            "Support",
            "Service",
        ),
        "services",
    ),
}
DEFAULT_CATEGORY = "business"

# Substitutions that make plausible aliases ("Agent Rate" → "Representative Rate", British spellings).
SYNONYMS = {
    "Agent": ("Representative", "Associate", "Advisor"),
    "Customer": ("Client", "Consumer"),
    "Rate": ("Ratio", "Percentage"),
    "Time": ("Duration",),
    "Score": ("Rating",),
    "Report": ("Statement",),
    "Review": ("Evaluation",),
    "Team": ("Group", "Squad"),
    "Center": ("Centre",),
    "Program": ("Programme",),
    "Fulfillment": ("Fulfilment",),
    "Utilization": ("Utilisation",),
    "Cost": ("Expense",),
    "Fee": ("Charge",),
    "Ticket": ("Request",),
    "Manager": ("Supervisor",),
    "Lead": ("Leader",),
    "Model": ("Approach",),
    "Policy": ("Rule",),
    "Agreement": ("Contract",),
    "Threshold": ("Cutoff",),
    "Call": ("Phone Call",),
    "Email": ("E-mail",),
    "Chat": ("Messaging",),
    "Plan": ("Schedule",),
    "Limit": ("Ceiling",),
    "Caller": ("Customer",),
    "Average": ("Mean",),
    "Outsourced": ("Third-Party",),
    "Wrap-Up": ("After-Call Work",),
}

OPENINGS = {
    "metrics": (
        "A measure of {obj} {qual}",
        "The share of {obj} {qual}",
        "The average {obj} {qual}",
        "A count of {obj} {qual}",
    ),
    "roles": ("A person or team responsible for {obj} {qual}", "The role that owns {obj} {qual}"),
    "workforce": ("A workforce planning figure for {obj} {qual}", "The planned or actual {obj} {qual}"),
    "technology": ("A system feature that handles {obj} {qual}", "The software setup used for {obj} {qual}"),
    "contracts": ("A contract term that governs {obj} {qual}", "The commercial arrangement for {obj} {qual}"),
    "compliance": ("A control that keeps {obj} within the rules {qual}", "The safeguards around {obj} {qual}"),
    "quality": ("A quality practice applied to {obj} {qual}", "The way a center evaluates {obj} {qual}"),
    "channels": ("The handling of {obj} {qual}", "A way of routing or treating {obj} {qual}"),
    "outsourcing-models": (
        "An arrangement in which {obj} is delivered by a provider {qual}",
        "The sourcing model used for {obj} {qual}",
    ),
    "services": ("An outsourced back-office process covering {obj} {qual}", "The service that delivers {obj} {qual}"),
    "business": ("A business concept describing {obj} {qual}", "The overall approach to {obj} {qual}"),
}
QUALIFIERS = (
    "over a reporting period",
    "across all sites and vendors",
    "for a single queue or skill",
    "within one shift",
    "as agreed with the client",
    "during peak hours",
    "for each line of business",
    "on a rolling thirty-day basis",
    "against the contracted target",
    "for new hires in their first weeks",
    "per interaction",
    "per agent",
    "at the program level",
    "in a blended operation",
)
SENTENCES = (
    "It is usually reported daily and reviewed at the weekly operations meeting.",
    "Contracts often tie service credits or penalties to this figure.",
    "Team leaders compare it against the previous quarter to spot trends early.",
    "Workforce planners use it when they build forecasts and schedules.",
    "A sudden change usually points to a routing, staffing or training problem.",
    "Clients and providers should agree in writing on how it is calculated.",
    "It is tracked separately for voice, chat and email.",
    "Some centers exclude system outages and short abandons from the count.",
    "Quality analysts sample it during calibration sessions.",
    "The figure is only meaningful when the definition stays the same across sites.",
    "It appears on most contact-center dashboards and in the monthly business review.",
    "Improving it tends to raise customer satisfaction and lower cost per contact.",
    "Providers in offshore locations often report it against a stricter target.",
    "Leaders review exceptions with the account manager before the quarterly review.",
    "New agents are coached on it during nesting.",
    "It is easy to game, so most programs pair it with a quality score.",
    "Automation and self-service usually shift it within a few months.",
    "The service level agreement names the owner and the reporting frequency.",
)
SHORT_SENTENCES = ("Definitions vary by client.", "Targets differ by channel.", "It is reviewed monthly.")
MIN_WORDS, MAX_WORDS = 20, 50

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 '\-]*[A-Za-z0-9]")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # YAML 1.1 reads these as bool/null
_NON_WORD = re.compile(r"[^\w]+")


def key(name: str) -> str:
    """The same collision key as bpoterms' `compact` for the ASCII names made here."""
    return _NON_WORD.sub("", name.casefold().replace("&", "and").replace("_", ""))


def scalar(text: str) -> str:
    """A YAML scalar for a name: plain when that reads back as the same string, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Entry:
    term: str
    category: str
    definition: str
    acronym: str | None = None
    aliases: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)


def _name(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.15:
        words = [rng.choice(DOMAINS if rng.random() < 0.6 else MODIFIERS), rng.choice(HEADS)]
    elif shape < 0.70:
        words = [rng.choice(MODIFIERS), rng.choice(DOMAINS), rng.choice(HEADS)]
    elif rng.random() < 0.5:
        words = [rng.choice(MODIFIERS), rng.choice(DOMAINS), rng.choice(DOMAINS), rng.choice(HEADS)]
    else:
        words = [rng.choice(MODIFIERS), rng.choice(MODIFIERS), rng.choice(DOMAINS), rng.choice(HEADS)]
    return " ".join(words)


def _unique_names(rng: random.Random, count: int) -> list[str]:
    """Names unique by collision key; short shapes fill up first and later draws move to longer ones."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = _name(rng)
        words = name.split()
        k = key(name)
        if k in seen or len(set(words)) < len(words):
            continue
        seen.add(k)
        names.append(name)
    return names


def initials(name: str) -> str:
    """`Real-Time Call Rate` → `RTCR`: the first letter of every word and hyphenated part."""
    return "".join(part[0] for part in re.split(r"[ \-]+", name) if part).upper()


def category_of(name: str) -> str:
    """The category of the last word that has one: `Payroll Audit Team` is a role."""
    for word in reversed(name.split()):
        if word in CATEGORY_OF:
            return CATEGORY_OF[word]
    return DEFAULT_CATEGORY


def _definition(rng: random.Random, name: str, category: str) -> str:
    obj = name.lower()
    opening = rng.choice(OPENINGS[category]).format(obj=obj, qual=rng.choice(QUALIFIERS)) + "."
    sentences = [opening]
    words = len(opening.split())
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    for _attempt in range(12):
        if words >= target:
            break
        sentence = rng.choice(SENTENCES)
        n = len(sentence.split())
        if words + n <= MAX_WORDS and sentence not in sentences:
            sentences.append(sentence)
            words += n
    while words < MIN_WORDS:
        sentence = rng.choice(SHORT_SENTENCES)
        sentences.append(sentence)
        words += len(sentence.split())
    return " ".join(sentences)


def _aliases(rng: random.Random, name: str, used: set[str]) -> list[str]:
    words = name.split()
    candidates: list[str] = []
    for i, word in enumerate(words):
        for synonym in SYNONYMS.get(word, ()):
            candidates.append(" ".join([*words[:i], synonym, *words[i + 1 :]]))
    if len(words) > 2:
        candidates.append(" ".join(words[1:]))  # the name without its modifier
    rng.shuffle(candidates)
    aliases: list[str] = []
    for candidate in candidates[: rng.choice((0, 0, 1, 1, 2, 3))]:
        k = key(candidate)
        if k not in used:
            used.add(k)
            aliases.append(candidate)
    return aliases


def build(entries: int, seed: int) -> tuple[list[Entry], dict[str, object]]:
    """The entries in file order, and the probe queries for the harness."""
    rng = random.Random(seed)
    names = _unique_names(rng, entries)
    used = {key(name) for name in names}  # every term claims its key before any acronym or alias
    result: list[Entry] = []
    for name in names:
        category = category_of(name)
        entry = Entry(name, category, _definition(rng, name, category))
        if rng.random() < 0.45:
            acronym = initials(name)
            if key(acronym) not in used:  # the first entry keeps an acronym; later ones go without
                used.add(key(acronym))
                entry.acronym = acronym
        entry.aliases = _aliases(rng, name, used)
        result.append(entry)
    for entry in result:
        picks = rng.sample(range(entries), min(entries, rng.choice((0, 1, 2, 3))))
        entry.see_also = [result[i].term for i in picks if result[i].term != entry.term]
    return result, _probes(result, used)


def _probes(entries: list[Entry], used: set[str]) -> dict[str, object]:
    """Queries the harness times: picked from the middle of the file, so no end is favoured."""
    middle = len(entries) // 2
    exact = next(e for e in entries[middle:] + entries[:middle] if len(e.term.split()) == 3)
    with_acronym = next((e for e in entries[middle:] + entries[:middle] if e.acronym), None)
    with_alias = next((e for e in entries[middle:] + entries[:middle] if e.aliases), None)
    misspelling = exact.term
    for word in sorted(exact.term.split(), key=len, reverse=True):
        if len(word) >= 5 and word.isalpha():
            i = len(word) // 2
            typo = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # swap two letters mid-word
            candidate = exact.term.replace(word, typo, 1)
            if key(candidate) not in used:
                misspelling = candidate
                break
    return {
        "term": exact.term,
        "misspelling": misspelling,
        "acronym": with_acronym.acronym if with_acronym else None,
        "alias": with_alias.aliases[0] if with_alias else None,
        "search": "handle time",
    }


def render(entries: list[Entry], seed: int) -> str:
    lines = [
        f"# Synthetic bpoterms glossary: {len(entries)} entries, seed {seed}, "
        f"benchmarks/generate.py v{GENERATOR_VERSION}.",
        "schema: 1",
        f"title: Synthetic benchmark glossary ({len(entries)} entries, seed {seed})",
        "terms:",
    ]
    add = lines.append
    for e in entries:
        add(f"- term: {scalar(e.term)}")
        if e.acronym:
            add(f"  acronym: {scalar(e.acronym)}")
        if e.aliases:
            add(f"  aliases: [{', '.join(scalar(a) for a in e.aliases)}]")
        add(f"  category: {e.category}")
        add(f"  definition: {json.dumps(e.definition, ensure_ascii=False)}")
        if e.see_also:
            add(f"  see_also: [{', '.join(scalar(s) for s in e.see_also)}]")
    lines.append("")
    return "\n".join(lines)


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def write_glossary(path: Path, entries: int, seed: int) -> dict[str, object]:
    """Write the glossary and its `.meta.json`; returns the metadata."""
    built, probes = build(entries, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render(built, seed)
    path.write_text(text, encoding="utf-8")
    meta: dict[str, object] = {
        "generator": GENERATOR_VERSION,
        "entries": entries,
        "seed": seed,
        "bytes": path.stat().st_size,
        "acronyms": sum(1 for e in built if e.acronym),
        "aliases": sum(len(e.aliases) for e in built),
        "probes": probes,
    }
    meta_path(path).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def cached_meta(path: Path, entries: int, seed: int) -> dict[str, object] | None:
    """The metadata of an existing file made by this generator version with these settings, else None."""
    try:
        meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"generator": GENERATOR_VERSION, "entries": entries, "seed": seed}
    if any(meta.get(k) != v for k, v in wanted.items()) or not path.is_file():
        return None
    return meta if path.stat().st_size == meta.get("bytes") else None


def ensure_glossary(out_dir: Path, entries: int, seed: int) -> tuple[Path, dict[str, object]]:
    """Reuse `out_dir/glossary-N-sS.yaml` when it matches, else (re)generate it."""
    path = out_dir / f"glossary-{entries}-s{seed}.yaml"
    meta = cached_meta(path, entries, seed)
    return path, meta if meta is not None else write_glossary(path, entries, seed)


def probes(meta: dict[str, object]) -> dict[str, str]:
    """The probe queries recorded in a file's metadata; ones the file has none of are left out."""
    found = meta.get("probes")
    return {str(k): str(v) for k, v in found.items() if v} if isinstance(found, dict) else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", "-n", type=int, required=True, help="number of entries to write")
    parser.add_argument("--seed", "-s", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the YAML file to write")
    args = parser.parse_args(argv)
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    started = time.perf_counter()
    meta = write_glossary(args.output, args.entries, args.seed)
    elapsed = time.perf_counter() - started
    sys.stdout.write(
        f"{args.output}: {args.entries} entries, {meta['acronyms']} acronyms, {meta['aliases']} aliases, "
        f"{args.output.stat().st_size / 2**20:.1f} MiB in {elapsed:.1f} s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
