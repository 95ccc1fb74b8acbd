"""The review flow in the demo: assignments, reviews, a ranking and an offer. Idempotent.

Everything goes through the services, so the demo shows what the product does:
running the assignment again adds nothing, a review is written once, and a
decision is taken only while the application still waits for one.
"""

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application
from programs.models import Cohort
from reviews.enums import DecisionKind, Recommendation
from reviews.models import Assignment, Review
from reviews.services.assignment import assignment_run
from reviews.services.decisions import decision_make
from reviews.services.reviewing import review_save, review_submit

# startup name -> how many of its reviewers submit, and the scores they lean to
PLAN = {
    "Tidewater Health": {"submitted": 3, "base": 4, "decide": DecisionKind.ACCEPT},
    "Ledgerly": {"submitted": 1, "base": 3, "decide": None},
}
RECOMMENDATIONS = {5: Recommendation.STRONG_YES, 4: Recommendation.YES, 3: Recommendation.MAYBE}


def seed_reviews(*, cohort: Cohort, manager: User) -> None:
    assignment_run(cohort=cohort, actor=manager)
    criteria = list(cohort.program.criteria.all())
    for name, spec in PLAN.items():
        application = Application.objects.filter(cohort=cohort, startup__name=name).first()
        if application is None:
            continue
        assignments = list(Assignment.objects.filter(application=application).select_related("reviewer").order_by("id"))
        for index, assignment in enumerate(assignments):
            if (
                Review.objects.filter(assignment=assignment).exists()
                or application.status != ApplicationStatus.IN_REVIEW
            ):
                continue
            # Reviewers lean differently, so the ranking board has toughness to show.
            scores = {
                criterion.pk: max(criterion.scale_min, min(criterion.scale_max, spec["base"] + (index + order) % 3 - 1))
                for order, criterion in enumerate(criteria)
            }
            draft = {
                "scores": scores,
                "comment": f"Demo review {index + 1}: clear use of Llama, credible team.",
                "feedback": "Show more usage data next time.",
                "recommendation": RECOMMENDATIONS.get(spec["base"], Recommendation.MAYBE),
            }
            # The last ones submit, so the demo reviewer (the first) still has a draft to finish.
            if index >= len(assignments) - spec["submitted"]:
                review_submit(assignment=assignment, reviewer=assignment.reviewer, **draft)
            else:
                review_save(assignment=assignment, reviewer=assignment.reviewer, scores=scores)
        application.refresh_from_db()
        if spec["decide"] and application.status == ApplicationStatus.IN_REVIEW:
            decision_make(
                application=application,
                kind=spec["decide"],
                actor=manager,
                reason="Top of the ranking: strong team and Llama at the heart of the product.",
            )
