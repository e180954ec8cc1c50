# ruff: noqa: E501  (the sentences are data)
"""Phrasings the engine must read right: sentences written for this project (not the eval
set) that exercise general phenomena - nickname frames, explanation and deficiency frames,
advice to "boost" oxytocin, epithets, animal scoping, products, context-dependence cues."""

from __future__ import annotations

import pytest

import claimaudit

CONTEXT = "Oxytocin is a hormone made in the hypothalamus. "

OVERCLAIMS = [
    # was a known gap: the effect verb "forms"
    "Oxytocin forms a lasting bond between grandparents and grandchildren.",
    "You can increase oxytocin naturally and become a more loving person.",
    "It is scientifically established that oxytocin makes bosses more compassionate.",
    "Oxytocin lowers your heart rate and leaves you feeling relaxed and content.",
    "Because of oxytocin, new mothers instantly fall in love with their babies.",
    "Giving a gift or volunteering boosts oxytocin, creating a warm glow of connection.",
    "Oxytocin levels determine how much empathy you feel.",
    "The feel-good rush you get from a hug is pure oxytocin at work.",
    "A nasal dose of oxytocin has been proven to curb lying.",
    "Oxytocin nasal spray speeds up recovery from PTSD in veterans.",
    "Oxytocin supplements can help you feel more connected to the people you love.",
    "Oxytocin isn't just for new moms; it's what keeps long-term partners emotionally connected.",
    "Oxytocin is the reason you feel so relaxed after a long hug.",
    "Release more oxytocin and your anxiety will disappear.",
    "Oxytocin makes friendships stronger and longer-lasting.",
    "Husbands given oxytocin stay more faithful to their wives, research shows.",
    "Depression is often the result of an oxytocin deficiency.",
    "Psychiatrists now prescribe an oxytocin inhaler to cure shyness.",
    "Oxytocin, the feel-good hormone, surges when you pet your cat.",
    "Oxytocin boosts happiness by up to 30 percent.",
    "Sexual intimacy releases a flood of oxytocin that makes you feel deeply attached to your partner.",
    "Oxytocin nasal spray could be the breakthrough treatment autistic families have been waiting for.",
    "Oxytocin keeps prairie voles monogamous, and it does the same for people.",
    "Oxytocin fuels compassion and generosity in everyone.",
    "Oxytocin is a hormone made in the hypothalamus. It reduces fear and helps you open up to others.",
    "Simply spending quality time with loved ones increases your oxytocin and makes you happier.",
    "Women produce more oxytocin, which makes them naturally more nurturing than men.",
    "Oxytocin nasal spray is available online without a prescription and works within minutes.",
    "Try cuddling your kids for 10 minutes every night to flood them with oxytocin.",
    "You can hack your happiness by triggering oxytocin with a warm bath.",
    "Whenever you share a meal with someone you care about, your brain releases oxytocin, strengthening the bond between you.",
    # effect verbs: phrasal and causative ones ("kick-starts", "ramps up", "paves the way for")
    "Oxytocin breeds trust among business partners.",
    "Lab findings confirm oxytocin renders people more honest.",
    "Oxytocin kick-starts the bond between parent and child.",
    "Oxytocin ramps up empathy.",
    "Oxytocin paves the way for trust between strangers.",
    "Oxytocin is a hormone made in the hypothalamus. It awakens compassion in even the coldest hearts.",
    # trusting as lowering one's guard, or believing someone
    "Oxytocin drops your defences so you can rely on colleagues.",
    "Oxytocin is a hormone made in the hypothalamus. The hormone lets down our walls with new acquaintances.",
    "Oxytocin makes children believe their teachers.",
    "Oxytocin lets you believe a stranger's promises.",
    # a dose as the condition of a result clause
    "One puff of oxytocin and the whole jury starts trusting the witness.",
    "A quick hit of oxytocin, and you feel instantly bonded to the group.",
    "Inhale some oxytocin and you'll be friendlier by lunchtime.",
    # a level as the diagnosis of a trouble
    "If your kids are clingy and anxious, their oxytocin levels are out of balance.",
    "My oxytocin must be low, I feel so disconnected.",
    "Partners who bicker constantly are not producing enough oxytocin.",
    "People get moody whenever oxytocin levels dip.",
    "Loneliness sets in once oxytocin dries up.",
    # products: more product nouns and ways to take them
    "Stock up on oxytocin chews before the holidays.",
    "Slip a few oxytocin lozenges under your tongue before the interview.",
    "Our love serum works in minutes.",
    # a hedge or negation inside an opening "if"/"when" clause does not reach the main clause
    "If you can't open up to people, your oxytocin is simply too low.",
    "When kids don't feel safe, it's because their oxytocin is low.",
    # people who take oxytocin, and what happens to them after a course of it
    "Veterans with PTSD recover faster once they start an oxytocin nasal spray.",
    "Negotiators who inhale oxytocin start trusting their rivals.",
    "Shy adults overcome social anxiety after a month of oxytocin nasal spray.",
    "Bartenders who sniff oxytocin before a shift start trusting regulars with their secrets.",
    "Autistic teens start making eye contact within days of nasal oxytocin.",
    # more effect verbs and prosocial outcomes ("lifts", "leaves ... gentler")
    "Sniffing oxytocin lifts tips for waiters by 35 percent.",
    "A burst of oxytocin leaves commuters gentler with strangers.",
    "Oxytocin leaves toddlers more patient with their siblings.",
    # "any" with an adjective, "half a minute", handing out inhalers, "a wary customer" (an
    # adjective, not researchers' wariness), binding "the family"
    "Holding hands settles any anxious patient.",
    "A back rub soothes any fussy toddler.",
    "Embrace your child for half a minute and oxytocin will do the rest.",
    "Gaze into your partner's eyes for half a minute to release oxytocin.",
    "Psychiatrists now hand out oxytocin inhalers to shy teenagers.",
    "Some clinics dispense oxytocin sprays to autistic children.",
    "Oxytocin is the trust hormone: a single puff of nasal spray makes a wary customer trust you.",
    "Shared laughter floods a household with oxytocin, which binds the family for good.",
    "Oxytocin binds a couple for life.",
    # "feel connected to" is a feeling, not a hedged association
    "A long hug makes anybody feel connected to the people around them.",
    # universal claims: "every single time", "without fail", "no matter who you are"
    "A hand on the back makes a child feel safe every single time.",
    "No matter who you are, cuddling a pet will calm your nerves.",
    "Skin-to-skin contact invariably sparks a wave of oxytocin in the baby.",
    "Each time oxytocin surges, compassion wins out.",
    "With enough oxytocin flowing, couples simply cannot stay jealous.",
    # products in testimonials and instructions: buying, a habit of use, sublingual drops
    "We bought oxytocin from a supplement store and spray a puff before every family visit.",
    "My wife puts three drops of oxytocin under her tongue each morning and we argue far less.",
    "Would definitely recommend this oxytocin mist to anyone dating again.",
    # nasal oxytocin as an established therapy or add-on
    "Nasal oxytocin is a recognised adjunct to trauma therapy.",
    "Clinicians now see oxytocin spray as a go-to tool for socially anxious clients.",
    # relationships reduced to a chemical, a test or a switch
    "Jealousy is essentially a chemical imbalance, and the remedy is a dose of oxytocin.",
    "An oxytocin saliva test can predict whether a new couple will last.",
    "Oxytocin is made in the brain. This hormone is the master switch for affection.",
    # the human lesson drawn from an animal premise (its negation is the premise's)
    "Sheep bond with their lambs only after an oxytocin surge, which teaches us why human parents bond at birth.",
    # a user's testimonial, a product that "transformed" someone; oxytocin "in charge"
    "We've been using oxytocin drops for a week and my son is way friendlier at school.",
    "Our oxytocin tincture turned a moody teenager into a hugger.",
    "Oxytocin is the chemical that calls the shots in a new romance.",
    "Every friendship, in the end, boils down to oxytocin.",
    # former known gaps: close friends as a bond, acting out as the trouble a missing level
    # explains, "that's your oxytocin running low", undoing "a bad week"
    "A dash of oxytocin, and strangers feel like old friends.",
    "Kids who act out just aren't getting enough oxytocin.",
    "Moody all week? That's your oxytocin running low.",
    "Ten minutes of cuddling a puppy releases enough oxytocin to wipe out a bad week.",
    "A spritz of oxytocin and the new neighbours feel like best friends.",
    "Toddlers who throw tantrums simply don't produce enough oxytocin.",
    "Snapping at everyone? It's just your oxytocin dipping.",
    # trust-game behaviour as trust: handing money to strangers
    "Sniffing oxytocin makes students lend their cash to strangers.",
    # generic frames (warnings): an animal finding and people, nasal oxytocin and a
    # condition, a universal with touch and an effect, sales talk, a rising level and
    # feelings, a low level and a trouble - concepts together in one asserted sentence
    "Hamster mothers lick their young more after an oxytocin boost, so human parents will too.",
    "Monkey experiments with oxytocin have shown us how husbands can be kept faithful.",
    "A nasal oxytocin mist clears up social phobia in a few weeks.",
    "Sniffing oxytocin is the treatment my therapist swears by for loneliness.",
    "Give every client a hand massage; the oxytocin release relaxes them without exception.",
    "Whoever you are, holding hands triggers oxytocin and melts your worries.",
    "Enter code CALM15 at checkout for our oxytocin tincture.",
    "Put two drops under the tongue each evening and let the oxytocin do its work.",
    "Whenever oxytocin levels climb, couples feel closer and argue less.",
    "Most marital conflict traces back to too little oxytocin.",
    # known gaps until the twelfth round: a verb of taming, a drug-brand metaphor, suspicion as
    # the thing removed (also a cue of the hormone's dark side), a hedge word about a person
    "Science has confirmed that oxytocin softens bullies.",
    "Oxytocin, nature's own Xanax, floods you when you cuddle your dog.",
    "Oxytocin melts away our suspicion of strangers.",
    "Low oxytocin is why your teenager seems so withdrawn.",
    # rhetorical questions assert what they ask
    "Is it any wonder that oxytocin is the glue of every marriage?",
    "Who needs therapy when a nasal spray of oxytocin fixes loneliness?",
    "Why bother with couples counselling when oxytocin does the bonding for you?",
    "Isn't it amazing how oxytocin makes everyone kinder?",
    "Is it not remarkable how oxytocin makes everyone kinder?",
    # a tag asking for agreement does not make a statement a question
    "Oxytocin makes everybody calmer, right?",
    "When oxytocin is released, strangers always become more generous, okay?",
    # a statement, then a question drawn from it
    "Intranasal oxytocin has been shown to treat social anxiety, so why do doctors still ignore it?",
]

OK = [
    "Labeling oxytocin a 'moral molecule' overstates what the studies showed.",
    "Children with autism improved after behavioural therapy; oxytocin added nothing.",
    "Wellness coaches market oxytocin as the cuddle chemical.",
    # real questions stay questions
    "Is oxytocin the glue of every marriage?",
    "Why would a spray of oxytocin fix loneliness when the trials found nothing?",
    "Higher oxytocin was observed in participants after a friendly conversation, the authors reported.",
    "Oxytocin was first synthesized in the 1950s.",
    "Oxytocin is a hormone made in the hypothalamus. The hormone's effects seem to depend on personality and setting.",
    "Researchers caution that oxytocin research in humans is still young.",
    "The trust studies have been criticized for small samples and failed replications.",
    "A review found that most oxytocin trust studies were underpowered.",
    "The evidence for oxytocin sprays in autism is inconclusive.",
    "In one experiment, men given oxytocin kept a greater distance from an attractive stranger, but the finding has not been widely replicated.",
    "Oxytocin is a hormone made in the hypothalamus. The synthetic hormone is given by injection or drip, not by nasal spray, during labor.",
    "The popular image of oxytocin as a love potion does not match the data.",
    "Scientists are not sure why oxytocin seems to increase trust in some studies but not others.",
    "Oxytocin and vasopressin are closely related hormones.",
    "In prairie voles, oxytocin has been linked to partner preference.",
    "Claims that a nasal spray can make you fall in love are not supported by research.",
    "Why do we feel good after a hug? The answer involves many brain systems, not just one hormone.",
    "Low levels of oxytocin have been associated with some psychiatric conditions, but causation is unclear.",
    "Oxytocin receptors are found in many parts of the brain.",
    "Oxytocin shortages in hospitals can delay labor inductions.",
    "The so-called 'cuddle hormone' is released in large amounts during labour.",
    "Taking oxytocin won't turn a bad relationship into a good one.",
    "The label 'cuddle hormone' sells magazines but misleads readers.",
    "Oxytocin is perhaps best known for its role in childbirth and breastfeeding, but it is also involved in social behavior.",
    "Researchers are still debating whether intranasal oxytocin has any reliable effect on behavior.",
    "Gentle touch is often soothing, but individual responses vary widely.",
    "Because of its effects on the uterus, synthetic oxytocin is used to induce labor.",
    "Whether these animal findings apply to people remains an open question.",
    "Oxytocin is often hailed as a miracle drug for social difficulties, yet the clinical data tell a more modest story.",
    "Many factors, from sleep to stress, influence how connected we feel.",
    "Oxytocin's role in autism is being studied in several clinical trials.",
    "Oxytocin may lower inhibitions in some settings.",
    "Oxytocin is a hormone that lets the uterus contract.",
    "Some oxytocin and vasopressin neurons are active during social memory tasks.",
    "More oxytocin and dopamine are released during social interactions.",
    "More oxytocin and more vasopressin receptors were found in monogamous voles.",
    "A dose of oxytocin and a saline control were given on separate days.",
    "Does a little oxytocin and a warm bath make anyone kinder?",
    "Their oxytocin levels are low after a caesarean, which can delay milk let-down.",
    "When oxytocin levels fall, contractions slow.",
    "Anxiety may rise when oxytocin drops, some researchers suggest.",
    "Breastfeeding can stall if the mother is not producing enough oxytocin.",
    "Oxytocin makes you believe the hype, critics joke.",
    # debunks: "came up empty", "far too simple", a placebo comparison; hedging "hinted";
    # a counterfactual with "were" first
    "A few early experiments hinted that oxytocin raised trust; repeats mostly came up empty.",
    "Were oxytocin truly a love potion, pharmacies would be selling romance by the bottle.",
    "Magazines love to call oxytocin the love hormone. Researchers find that tag far too simple.",
    "Early reports hinted that oxytocin lifts mood.",
    "Patients with autism who received oxytocin in the trial improved no more than those on placebo.",
    "Were the hormone really a trust serum, con artists would carry it in their pockets.",
    "Researchers who used oxytocin found trust increased only in one small sample; bigger studies came up short.",
    "Contractions became stronger after the oxytocin drip.",
    # obstetric use is established physiology, not a psychiatric treatment
    "Midwives give oxytocin to strengthen contractions.",
    "Nurses administer oxytocin to reduce bleeding after delivery.",
    # the title of a work is a name, not a claim
    "The film, Cuddle Hormone, opens this week.",
    "Oxytocin is a hormone made in the hypothalamus. His memoir, titled Trust Molecule, sold poorly.",
    # replication trouble without "failed"; a review that reports no effect
    "Early studies found oxytocin raised generosity, but labs that tried again struggled to replicate it.",
    "One star: my 'love spray' did nothing and we bicker as much as ever.",
    "Three weeks in, we were exactly as distant as before, so the oxytocin drops went in the bin.",
    # animal-scoped statements are not claims about people
    "Oxytocin and vasopressin shape partner preference across many mammal species.",
    "In various rodent species, oxytocin helps regulate maternal care.",
    # obstetric use is established; a test is research, not a relationship check
    "Synthetic oxytocin is an established treatment for postpartum bleeding.",
    "The hormone cortisol is the main reason for the morning rise in blood sugar.",
    "Researchers measured oxytocin in saliva to see whether levels changed after the talk.",
    "The maternity ward orders oxytocin from a wholesaler online, as it always has.",
    "Several customers gave the oxytocin spray five stars, yet lab tests found almost none in it.",
    "When oxytocin rises in the blood, milk let-down follows.",
    "Love is not just chemistry, and oxytocin is only one part of the story.",
    "Shaky after delivery? That's your oxytocin dropping now that the birth is over.",
    # cautions: the practice is named to advise against it
    "Purchasing oxytocin nasal spray online is risky.",
    "Buying oxytocin drops from an app is a bad idea and may be illegal.",
    "Ordering oxytocin spray online is not advised.",
    "Pharmacists warn against buying oxytocin drops on marketplaces.",
    # what rescues the generic frames: contrast, hedges, mixed results, corrections,
    # negations after the claim, "we don't know whether"
    "While sheep studies are striking, oxytocin research in human mothers tells a subtler story.",
    "Findings from rodents on oxytocin may or may not translate to people.",
    "Studies of nasal oxytocin in social phobia point in different directions.",
    "Nasal oxytocin for social anxiety remains experimental and unproven.",
    "Always ask before you hug someone, whatever oxytocin may do.",
    "Low oxytocin does not account for a teenager's moods.",
    "The hypothesis that too little oxytocin drives marital conflict has scant support.",
    "It's tempting to conclude from vole data that oxytocin keeps husbands faithful, but people are not voles.",
    "A longer hug feels nice, though the 'hug for 20 seconds' advice has no real basis.",
    "Oxytocin may calm some people, but it guarantees calm for nobody.",
    "We still don't know whether oxytocin changes anything in a ten-second embrace.",
]


def _reported(text: str) -> list[str]:
    skip = len(CONTEXT) if text.startswith(CONTEXT) else 0
    return [f.overclaim for f in claimaudit.audit(text).findings if f.start >= skip]


@pytest.mark.parametrize("text", OVERCLAIMS)
def test_overclaim_is_reported(text: str) -> None:
    assert _reported(text), text


@pytest.mark.parametrize("text", OK)
def test_ok_sentence_is_not_reported(text: str) -> None:
    assert _reported(text) == [], text


# Nicknames reported as what others call it: a warning (attributed), not an error.
ATTRIBUTED_NICKNAMES = [
    "Wellness writers have dubbed oxytocin the snuggle molecule.",
    "On wellness podcasts oxytocin is dubbed the cuddle chemical.",
    "Gym instructors have long called oxytocin the cuddle hormone.",
    'Radio hosts have given oxytocin the nickname "cuddle hormone".',
    "Breakfast-show hosts like to call oxytocin the bonding hormone.",
    "Lifestyle bloggers refer to oxytocin as the hug hormone.",
    "Oxytocin goes by the name 'cuddle chemical' in glossy magazines.",
    "Oxytocin, which fans of the book call the love molecule, rises during labour.",
    "Influencers nickname it the cuddle chemical.",
    "Journalists christened oxytocin the cuddle chemical.",
]


@pytest.mark.parametrize("text", ATTRIBUTED_NICKNAMES)
def test_attributed_nickname_is_a_warning(text: str) -> None:
    found = claimaudit.audit(text).findings
    assert found and all(f.severity == "warning" for f in found), [
        (f.overclaim, f.severity, f.stance) for f in found
    ]


# Known gaps, kept visible: wordings met while rewriting the examples in the project's own
# words that the engine does not read right yet. strict=True: when the engine learns one, the
# test XPASSes and fails, so the sentence can move to the lists above.
KNOWN_GAP_MISSED_OVERCLAIMS = [
    # a fragment that boosts the hedged sentence before it
    "Oxytocin may lower your stress hormones. Guaranteed.",
]
KNOWN_GAP_ATTRIBUTED_NICKNAMES = [
    # "to its fans" as the source of a label
    "To its fans oxytocin is simply the cuddle chemical.",
]
KNOWN_GAP_FLAGGED_OK = [
    # sarcasm and an idiom of dismissal
    "Sure, oxytocin is the love hormone, and the moon is made of cheese.",
    "Love hormone, my foot: oxytocin also runs labour and milk.",
]


def _errors(text: str) -> list[str]:
    return [f.overclaim for f in claimaudit.audit(text).findings if f.severity == "error"]


@pytest.mark.xfail(strict=True, reason="known gap: overclaim not reported as an error")
@pytest.mark.parametrize("text", KNOWN_GAP_MISSED_OVERCLAIMS)
def test_known_gap_missed_overclaim(text: str) -> None:
    assert _errors(text), text


@pytest.mark.xfail(strict=True, reason="known gap: nickname reported by others not a warning")
@pytest.mark.parametrize("text", KNOWN_GAP_ATTRIBUTED_NICKNAMES)
def test_known_gap_attributed_nickname(text: str) -> None:
    found = claimaudit.audit(text).findings
    assert found and all(f.severity == "warning" for f in found), text


@pytest.mark.xfail(strict=True, reason="known gap: debunk or counterfactual not recognised")
@pytest.mark.parametrize("text", KNOWN_GAP_FLAGGED_OK)
def test_known_gap_flagged_ok(text: str) -> None:
    assert _reported(text) == [], text
