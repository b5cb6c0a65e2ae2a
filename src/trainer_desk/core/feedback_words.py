"""A unit's feedback said in one paragraph, as the laptop's report preview and its PDF both give it: plain text
here, so the preview shows it without loading the PDF library."""

from __future__ import annotations

from trainer_desk.core.counted import counted
from trainer_desk.core.reports import FeedbackSummary


def feedback_in_words(feedback: FeedbackSummary) -> str:
    """The feedback in one paragraph, as the PDF and the laptop's preview both give it: how many forms, where
    they came from, and the share who would recommend it where there are enough answers to give one."""
    forms = counted(feedback.forms, "form")
    origin = _origin(feedback)
    said = f"{forms} ({origin})" if origin and feedback.forms else forms
    if feedback.withheld:
        said += ": too few to show any figure without telling who said what."
    elif feedback.recommend_withheld:
        said += "; too few answered whether they would recommend it to give a share without telling who said what."
    elif not feedback.recommend_answered:
        said += "; none answered whether they would recommend the training to a colleague."
    else:
        blank = feedback.forms - feedback.recommend_answered
        left = f" ({blank} left it blank)" if blank else ""
        said += (
            f"; {feedback.recommend_percent:.0f}% of the {feedback.recommend_answered} who answered{left} "
            "would recommend the training to a colleague."
        )
    if feedback.only_this_laptop:
        said += " Forms taken on other laptops are held at HQ: see the Feedback page of HQ's console."
    if feedback.through_hq and not feedback.withheld:
        said += " Reasons for 'no' and comments given on phones and other laptops are read by HQ's learning team only."
    return said


def _origin(feedback: FeedbackSummary) -> str:
    """Where the forms came from, truthfully: a lead's laptop holds phones' answers it never saw taken."""
    here, through_hq = feedback.taken_here, feedback.through_hq
    if here and through_hq:
        return f"{here} taken on this laptop, {through_hq} from phones and laptops, through HQ"
    if here:
        return "taken on this laptop"
    if through_hq:
        return "from phones and laptops, through HQ"
    return ""
