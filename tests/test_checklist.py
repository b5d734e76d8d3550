"""Behavioural tests in the style of CheckList (Ribeiro et al., 2020) against the default model.

Three kinds of test, each a suite that must pass on at least 95% of its cases:

- minimum functionality (MFT): short, clear statements for every rule and
  example class of LABELS.md, written fresh for this file;
- invariance (INV): swapping people, countries, organisations and dates does
  not change the label;
- directional (DIR): appending ", a charge X denied" raises P(denial);
  hedging with "allegedly" or "may have" keeps an accusation an accusation;
  negating an accusation lowers P(accusation).

A suite reports every failing case, so a drop shows what broke.
"""

from __future__ import annotations

from collections.abc import Callable

from inference import predict
from inference.model import StanceModel

PASS_RATE = 0.95

# --- minimum functionality: one block per rule of LABELS.md -------------------------------

MFT: dict[str, list[tuple[str, str]]] = {
    "accusation: direct": [
        ("Moscow's agents poisoned a defector on our streets.", "accusation"),
        ("This government stole the election from the people of Kinshasa.", "accusation"),
        ("The mayor pocketed kickbacks from every paving contract in the city.", "accusation"),
        (
            "Their soldiers shelled a hospital in full knowledge that it was full of patients.",
            "accusation",
        ),
        ("Our rivals have been bribing referees for three seasons.", "accusation"),
    ],
    "accusation: reported": [
        ("Opposition leaders accused the governor of rigging the tender.", "accusation"),
        ("Nine NGOs accused the mining company of poisoning the river with cyanide.", "accusation"),
        ("The union accused the airline of forging pilots' rest records.", "accusation"),
        ("Ukraine accused Russian forces of deporting children from occupied towns.", "accusation"),
        ("Residents blamed the water board for the cholera outbreak.", "accusation"),
    ],
    "accusation: attribution": [
        (
            "Investigators said a foreign intelligence service was behind the break-in.",
            "accusation",
        ),
        (
            "Auditors said the charity's director had diverted donations to his own firm.",
            "accusation",
        ),
        (
            "According to the inquiry, the police chief ordered the evidence destroyed.",
            "accusation",
        ),
        (
            "Officials in Warsaw said Belarusian guards pushed the migrants across the border.",
            "accusation",
        ),
        (
            "Security researchers said the hacking group worked on behalf of Pyongyang.",
            "accusation",
        ),
    ],
    "accusation: formal charges": [
        ("Prosecutors indicted the port director on charges of smuggling fuel.", "accusation"),
        ("Prosecutors charged two brothers with running a Ponzi scheme.", "accusation"),
        ("The former minister was charged with money laundering on Friday.", "accusation"),
        ("A grand jury indicted the senator on bribery charges.", "accusation"),
        (
            "The regulator filed a lawsuit alleging the bank misled thousands of borrowers.",
            "accusation",
        ),
    ],
    "accusation: hedged": [
        (
            "Officials suggested the militia may have been armed by a neighbouring state.",
            "accusation",
        ),
        ("The coach allegedly pressured players to take banned stimulants.", "accusation"),
        ("Diplomats said the ship was probably smuggling weapons to the rebels.", "accusation"),
        ("Analysts believe the ministry quietly inflated the growth figures.", "accusation"),
        ("The firm is suspected of dumping toxic waste in the bay.", "accusation"),
    ],
    "accusation: rhetorical question": [
        ("How many more journalists must this regime jail before the world acts?", "accusation"),
        ("Why did the minister hide the report from parliament for two years?", "accusation"),
        (
            "Who else would profit from silencing the whistleblower but the company itself?",
            "accusation",
        ),
        ("How long will the league keep covering up for its richest club?", "accusation"),
    ],
    "denial: denying involvement": [
        ("Tehran denied any involvement in the attack on the tanker.", "denial"),
        ("The club strongly denied the doping allegations against its captain.", "denial"),
        ("The company denied that it had paid the officials.", "denial"),
        ("Beijing denies sending surveillance balloons over the region.", "denial"),
        ("The general denied ordering troops to fire on protesters.", "denial"),
    ],
    "denial: calling a claim false": [
        ("The ministry called the accusations baseless.", "denial"),
        ("The embassy rejected the claims as politically motivated fabrications.", "denial"),
        ("A spokesman said the report was false and defamatory.", "denial"),
        ("The senator called the charges an absurd smear.", "denial"),
        ("The allegations are completely unfounded, the company said.", "denial"),
        ("Kremlin officials dismissed the story as a crude fake.", "denial"),
    ],
    "denial: rejecting allegations": [
        ("The company rejected the allegations and said it had followed every rule.", "denial"),
        ("The federation firmly rejected accusations of match fixing.", "denial"),
        ("The police union dismissed claims that officers had planted evidence.", "denial"),
        ("The minister rejected suggestions that she had misled parliament.", "denial"),
    ],
    "denial: plea": [
        ("She pleaded not guilty to three counts of fraud.", "denial"),
        ("He pleaded not guilty to all charges.", "denial"),
        ("The three defendants entered pleas of not guilty in federal court.", "denial"),
        ("The former treasurer has pleaded not guilty to embezzlement.", "denial"),
    ],
    "denial: third-party rebuttal": [
        ("Auditors found no evidence to support the minister's claim of fraud.", "denial"),
        ("Election observers said there was no evidence of vote rigging.", "denial"),
        ("Fact-checkers found the viral video had been doctored.", "denial"),
        (
            "An independent review found nothing to back the allegations against the coach.",
            "denial",
        ),
    ],
    "denial: mentioning the accusation it rejects": [
        ("Tehran denied claims that it was behind the plot.", "denial"),
        ("The bank denied accusations that it laundered money for the cartel.", "denial"),
        ("The army denied reports that its soldiers had looted the village.", "denial"),
        ("The actor denied allegations that he assaulted a crew member.", "denial"),
    ],
    "denial: two acts": [
        ("Officials said the militia was behind the ambush, a charge the group denied.", "denial"),
        ("Dutch officials said Moscow was behind the hack, a charge the Kremlin denied.", "denial"),
        ("Iran dismissed the claims and accused the West of hypocrisy.", "denial"),
        ("Prosecutors say he took bribes; he denies it.", "denial"),
    ],
    "neutral: events and background": [
        ("Talks between the two governments remain frozen.", "neutral"),
        ("The two leaders met in Geneva for talks on the border.", "neutral"),
        ("Inflation rose to 4.1 percent in October.", "neutral"),
        ("The ministry will publish its annual budget next week.", "neutral"),
        ("About 3,000 people attended the rally in the capital.", "neutral"),
    ],
    "neutral: actions": [
        ("Police arrested four people after the match on Saturday.", "neutral"),
        ("The government imposed sanctions on six companies on Tuesday.", "neutral"),
        ("Troops withdrew from the northern town overnight.", "neutral"),
        ("The embassy closed its consular section for two days.", "neutral"),
    ],
    "neutral: schedule": [
        ("The court will resume the hearing on 4 March.", "neutral"),
        ("The trial is expected to last six weeks.", "neutral"),
        ("A verdict is due in the spring.", "neutral"),
        ("The committee meets again on Thursday.", "neutral"),
    ],
    "neutral: no comment": [
        ("A spokesman for the company declined to comment.", "neutral"),
        ("The ministry did not respond to a request for comment.", "neutral"),
        ("The embassy could not be reached for comment on Sunday.", "neutral"),
        ("Lawyers for the family declined to comment on the case.", "neutral"),
    ],
    "neutral: mentioning allegations": [
        ("The allegations come at a time of renewed tensions.", "neutral"),
        ("The case has drawn wide attention in the region.", "neutral"),
        ("The report will be presented to parliament next month.", "neutral"),
        ("The scandal dominated the evening news bulletins.", "neutral"),
    ],
    "neutral: negated or hypothetical": [
        ("No government has blamed Tehran so far.", "neutral"),
        ("If investigators find a link, sanctions could follow.", "neutral"),
        ("Nobody has been charged in connection with the fire.", "neutral"),
        ("Should the audit uncover irregularities, the board would resign.", "neutral"),
    ],
    "neutral: rejecting a proposal, offer or request": [
        ("The parliament rejected the budget proposal.", "neutral"),
        ("The senate rejected the proposal to raise the fuel tax.", "neutral"),
        ("The union turned down the company's latest pay offer.", "neutral"),
        ("The government rejected a request to extend the deadline.", "neutral"),
        ("The rebels rejected a UN plan for a ceasefire.", "neutral"),
    ],
}

# --- invariance: who, where and when do not decide the label ------------------------------

INV_TEMPLATES: list[tuple[str, str]] = [
    ("{person} accused {org} of hiding losses from investors in {date}.", "accusation"),
    ("{org} denied that {person} had taken bribes.", "denial"),
    ("{person} met officials from {country} on {date}.", "neutral"),
    ("Prosecutors in {country} charged {person} with fraud.", "accusation"),
    ("{country} called the accusations by {org} baseless.", "denial"),
    ("{org} will publish its annual report on {date}.", "neutral"),
    ("{person} pleaded not guilty to corruption charges on {date}.", "denial"),
    ("Officials said {country} was behind the cyberattack on {org}.", "accusation"),
    ("{country} rejected a proposal from {org} to delay the vote.", "neutral"),
    ("{org} declined to comment on the dispute with {country}.", "neutral"),
]
PEOPLE = ["Maria Lopez", "Ahmed Karimi", "Li Wei", "John Smith", "Olena Shevchenko"]
COUNTRIES = ["Iran", "Brazil", "Norway", "Kenya", "Vietnam"]
ORGS = ["Halvorsen Bank", "the Red Cross", "Telenet", "the ruling party", "Acme Mining"]
DATES = ["March 2019", "last Tuesday", "January 5", "the summer of 2021", "1998"]

# --- directional ----------------------------------------------------------------------------

ACCUSATIONS: list[tuple[str, str]] = [
    # (accusation, the party who would deny it)
    ("Officials said the militia planted the roadside bomb", "the group"),
    ("The opposition accused the interior minister of rigging the census", "the minister"),
    ("Investigators blamed the contractor for the bridge collapse", "the firm"),
    ("Activists said the police beat detainees in custody", "the police"),
    ("The report found that the agency spied on journalists", "the agency"),
    ("Rivals accused the striker of faking injuries to win penalties", "the player"),
    ("Western governments said Moscow was behind the sabotage", "the Kremlin"),
    ("The regulator accused the bank of overcharging customers", "the bank"),
    ("Union leaders accused the airline of endangering passengers", "the airline"),
    ("Neighbours blamed the factory for poisoning their wells", "the owners"),
    ("Auditors said the mayor diverted flood relief money", "the mayor"),
    ("Witnesses said soldiers set fire to the market", "the army"),
    ("The watchdog accused the broadcaster of faking a documentary", "the broadcaster"),
    ("Prosecutors say the doctor sold fake vaccination certificates", "the doctor"),
    ("Critics accused the charity of misusing donations", "the charity"),
    ("Pakistan accused India of violating the ceasefire", "New Delhi"),
    ("Farmers accused the supermarket of price fixing", "the company"),
    ("Students said the dean covered up a cheating scandal", "the dean"),
    ("Observers said the ruling party bought votes", "the party"),
    ("Researchers said the app secretly collected location data", "the developer"),
]

HEDGED: list[tuple[str, str]] = [
    (
        "The governor took bribes from the developer.",
        "The governor allegedly took bribes from the developer.",
    ),
    (
        "The militia shelled the refugee camp.",
        "The militia may have shelled the refugee camp.",
    ),
    (
        "Police say the captain fixed the match.",
        "Police say the captain may have fixed the match.",
    ),
    (
        "The minister lied to parliament about the arms sale.",
        "The minister allegedly lied to parliament about the arms sale.",
    ),
    (
        "Hackers working for Beijing stole the designs.",
        "Hackers working for Beijing may have stolen the designs.",
    ),
    (
        "The chairman hid losses from shareholders, the suit says.",
        "The chairman allegedly hid losses from shareholders, the suit says.",
    ),
    (
        "The factory dumped chemicals into the lake.",
        "The factory may have dumped chemicals into the lake.",
    ),
    (
        "Border guards beat migrants at the crossing, witnesses said.",
        "Border guards allegedly beat migrants at the crossing, witnesses said.",
    ),
    (
        "The senator accepted illegal donations from a foreign lobby.",
        "The senator may have accepted illegal donations from a foreign lobby.",
    ),
    (
        "The coach abused young gymnasts for years.",
        "The coach allegedly abused young gymnasts for years.",
    ),
    (
        "The regime poisoned the opposition leader.",
        "The regime may have poisoned the opposition leader.",
    ),
    (
        "The bank laundered money for drug cartels.",
        "The bank allegedly laundered money for drug cartels.",
    ),
]

NEGATED: list[tuple[str, str]] = [
    (
        "The minister accused the central bank of manipulating the currency.",
        "The minister did not accuse the central bank of manipulating the currency.",
    ),
    (
        "Investigators blamed the pilot for the crash.",
        "Investigators have not blamed the pilot for the crash.",
    ),
    (
        "Prosecutors charged the mayor with corruption.",
        "Prosecutors have not charged the mayor with corruption.",
    ),
    (
        "Washington accused Beijing of stealing trade secrets.",
        "Washington has never accused Beijing of stealing trade secrets.",
    ),
    (
        "The report blamed the railway operator for the derailment.",
        "The report did not blame the railway operator for the derailment.",
    ),
    (
        "Police accused the protesters of starting the fire.",
        "Police have not accused the protesters of starting the fire.",
    ),
    (
        "The league accused the club of breaking spending rules.",
        "The league has not accused the club of breaking spending rules.",
    ),
    (
        "Officials said the rebels were behind the attack.",
        "Officials did not say the rebels were behind the attack.",
    ),
    (
        "The inquiry found that the hospital falsified records.",
        "The inquiry found no sign that the hospital falsified records.",
    ),
    (
        "The union accused the company of spying on workers.",
        "No one has accused the company of spying on workers.",
    ),
    (
        "Athens blamed Ankara for the airspace violations.",
        "Athens has not blamed Ankara for the airspace violations.",
    ),
    (
        "Experts said the ministry concealed the death toll.",
        "Experts did not suggest that the ministry concealed the death toll.",
    ),
]


def _suite(cases: list, passes: Callable[..., bool]) -> None:
    failures = [case for case in cases if not passes(*case)]
    rate = 1 - len(failures) / len(cases)
    shown = "\n".join(f"  {failure}" for failure in failures)
    assert rate >= PASS_RATE, f"pass rate {rate:.1%} < {PASS_RATE:.0%}; failing:\n{shown}"


def _p(model: StanceModel, text: str, label: str) -> float:
    return predict(text, model).probabilities[label]


def test_mft_cover_every_rule_of_the_label_contract():
    rules = " ".join(MFT)
    for part in (
        "direct",
        "reported",
        "formal charges",
        "hedged",
        "rhetorical",
        "plea",
        "rebuttal",
        "two acts",
        "no comment",
        "negated",
        "proposal",
    ):
        assert part in rules


def test_minimum_functionality(corpus_model):
    cases = [case for block in MFT.values() for case in block]
    assert len(cases) >= 80
    _suite(cases, lambda text, label: predict(text, corpus_model).label == label)


def test_invariance_to_names_places_and_dates(corpus_model):
    cases = []
    for template, label in INV_TEMPLATES:
        for i in range(len(PEOPLE)):
            filled = template.format(
                person=PEOPLE[i],
                org=ORGS[(i + 1) % 5],
                country=COUNTRIES[(i + 2) % 5],
                date=DATES[(i + 3) % 5],
            )
            cases.append((filled[0].upper() + filled[1:], label))
    base = {
        template: predict(
            template.format(
                person="Anna Berg", org="Norsk Hydro", country="Chile", date="May 2020"
            ),
            corpus_model,
        ).label
        for template, _ in INV_TEMPLATES
    }
    assert len(cases) == 50
    # Every variant keeps the label of its base sentence (and that label is the right one).
    pairs = [
        (text, label, base[template])
        for (template, label), text in zip(
            [t for t in INV_TEMPLATES for _ in PEOPLE], [c[0] for c in cases], strict=True
        )
    ]
    _suite(
        pairs,
        lambda text, label, base_label: predict(text, corpus_model).label == base_label == label,
    )


def test_appending_a_denial_raises_p_denial(corpus_model):
    cases = [(f"{claim}.", f"{claim}, a charge {party} denied.") for claim, party in ACCUSATIONS]
    _suite(
        cases,
        lambda before, after: (
            _p(corpus_model, after, "denial") > _p(corpus_model, before, "denial")
        ),
    )


def test_appending_a_denial_makes_the_statement_a_denial(corpus_model):
    cases = [f"{claim}, a charge {party} denied." for claim, party in ACCUSATIONS]
    _suite([(c,) for c in cases], lambda text: predict(text, corpus_model).label == "denial")


def test_hedging_keeps_an_accusation_an_accusation(corpus_model):
    # The plain versions are accusations by LABELS.md; their hedged twins must stay so.
    _suite(HEDGED, lambda plain, hedged: predict(hedged, corpus_model).label == "accusation")


def test_negation_lowers_p_accusation(corpus_model):
    _suite(
        NEGATED,
        lambda before, after: (
            _p(corpus_model, after, "accusation") < _p(corpus_model, before, "accusation")
        ),
    )
