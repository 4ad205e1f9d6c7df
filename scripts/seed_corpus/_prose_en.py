# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Ordinary English: discussion, editing talk, questions and everyday chat, none of it abusive.

Most English the public sets teach toxicity with is toxic (Davidson's tweets are 83 % toxic), so
being English itself became a toxicity signal (median 0.65 on non-toxic English, issue 19). These
sentences give the toxicity and negativity heads plain English in the registers real communities
write in — disagreeing, correcting, asking, thanking — with the function words and frames of the
toxic side ("you", "this", "people", "why", "again") in harmless use.
"""

from __future__ import annotations

import random

from _common import generate

SLOTS = {
    "subject": ["the article", "this section", "the intro", "the second paragraph", "the lead", "the table",
                "the timeline", "the infobox", "this page", "the summary", "the references", "the map",
                "the release notes", "the README", "the documentation", "the first chapter", "the sources",
                "the list", "the chart", "the footnote", "the caption", "the update", "the schedule"],
    "problem": ["needs more citations", "is a bit outdated", "could use a better source", "repeats the same point twice",
                "is missing a date", "reads like an advert", "has a broken link", "is too long", "is unclear",
                "contradicts the next section", "uses the wrong name", "has a typo in the title",
                "needs a neutral tone", "lacks context", "should be merged with the other one"],
    "action": ["I reverted the edit", "I added a reference", "I moved the paragraph", "I fixed the formatting",
               "I removed the duplicate", "I updated the numbers", "I rewrote the sentence", "I tagged it for cleanup",
               "I restored the previous version", "I asked on the talk page", "I opened a discussion",
               "I left a note for the author", "I checked the source again", "I split the section"],
    "because": ["because the source does not say that", "since the link was dead", "as discussed above",
                "per the style guide", "because it was unsourced", "to keep it consistent", "until we agree",
                "so that it matches the book", "because the numbers changed last year", "for readability"],
    "opinion": ["I think", "In my opinion", "Honestly,", "To be fair,", "I agree that", "I'm not sure",
                "It seems to me", "As far as I know,", "I don't think", "Maybe", "Personally,", "I doubt"],
    "claim": ["the older version was clearer", "we should wait for a better source", "both views deserve a mention",
              "this is not notable enough", "the date is correct", "it belongs in the history section",
              "the photo is fine", "the wording is too strong", "the change makes sense", "this was already discussed",
              "we need a second opinion", "the critics have a point", "the numbers are off by a year"],
    "people": ["people", "editors", "readers", "users", "everyone here", "most of you", "the team", "new contributors",
               "other editors", "the moderators", "folks", "you guys"],
    "question": ["Can someone check {subject}?", "Does anyone know where this quote comes from?",
                 "Why was {subject} removed?", "Is there a source for this?", "Who added {subject}?",
                 "Could you explain the revert?", "Where did the numbers come from?", "Is this still accurate?",
                 "Why do {people} keep changing the date?", "What do you think about the new version?",
                 "Any objections to merging these pages?", "Should we split {subject}?",
                 "How do I upload a picture here?", "When is the next meeting?", "Has anyone tried the new update?"],
    "thanks": ["Thanks for the help", "Thank you for fixing that", "Thanks, that makes sense", "Much appreciated",
               "Thanks for the quick reply", "Good catch, thanks", "Thanks for explaining", "Cheers",
               "Thank you all for the feedback", "Great work on {subject}"],
    "daily": ["I'm running a bit late, start without me", "The bus was late again this morning",
              "We're out of milk, can you grab some on the way home?", "The weather is terrible today",
              "My phone died, I'll call you later", "Did you watch the game last night?",
              "The kids are finally asleep", "Dinner is at seven", "I left my keys at the office again",
              "The new cafe downtown is really good", "Traffic was awful today", "I can't make it on Friday",
              "The meeting got moved to Tuesday", "I'll send you the photos tonight", "Happy birthday, have a great day",
              "Why is the printer always broken?", "This week has been so long", "See you tomorrow"],
    "disagree": ["I disagree with you here", "You are wrong about the date, it was 1998", "That's not what the source says",
                 "You misread my comment", "This is simply not true", "Your edit removed sourced content",
                 "You keep reverting without explaining", "Please stop changing it until we agree",
                 "You didn't answer my question", "I'm tired of repeating myself", "That argument makes no sense to me",
                 "You are missing the point", "Again, please read the policy first"],
}

TEMPLATES = [
    "{subject} {problem}.",
    "I think {subject} {problem}.",
    "{action} {because}.",
    "{action}; {subject} {problem}.",
    "{opinion} {claim}.",
    "{opinion} {claim}, but {subject} {problem}.",
    "{question}",
    "{question} {opinion} {claim}.",
    "{thanks}!",
    "{thanks}. {action} {because}.",
    "{daily}.",
    "{daily}",
    "{disagree}.",
    "{disagree}. {opinion} {claim}.",
    "{disagree}; {action} {because}.",
    "{people} should read {subject} before editing.",
    "Hi, {subject} {problem}. {action} {because}.",
    "Please don't remove {subject} again, {because}.",
]


def prose(rng: random.Random, n: int) -> list[str]:
    """Ordinary English sentences and short comments."""
    return generate(TEMPLATES, SLOTS, rng, n)
