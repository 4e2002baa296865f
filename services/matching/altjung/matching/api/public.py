"""Unauthenticated: the public interest form of one partner site (by slug), and its settings."""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from altjung.kit.runtime import current_runtime, unit_of_work
from altjung.kit.tenancy import tenant_context
from altjung.matching import interest, people
from altjung.matching.api import public_schemas as s
from altjung.matching.common import today

blp = Blueprint("interest_form", __name__, url_prefix="/api/v1/public/sites",
                description="Öffentliches Interessenformular / Public interest form")


@blp.after_request
def _retry_after(response: Response) -> Response:
    if response.status_code == 429:
        response.headers["Retry-After"] = str(int(interest.WINDOW.total_seconds()))
    return response


@blp.route("/<slug>/interest-form")
class InterestForm(MethodView):
    @blp.response(200, s.InterestFormOut)
    def get(self, slug: str):
        """Whether the site's form is open, its intro text and the target groups it accepts."""
        with unit_of_work() as session:
            return interest.form_of(interest.open_site(session, slug))


@blp.route("/<slug>/interest")
class Interest(MethodView):
    @blp.arguments(s.InterestIn)
    @blp.response(202, s.ReceivedOut)
    def post(self, data: dict, slug: str):
        """Register interest as a prospective mentor or mentee (an applicant; mentor.applied / mentee.applied).

        Consent is required; rate-limited per client and site (429); a closed form is 409, a target group
        the site does not take 422, an unknown or suspended site 404."""
        settings = current_runtime().settings
        with unit_of_work() as session:
            site = interest.open_site(session, slug)
            interest.throttle(session, secret=settings.secret_key, slug=slug, client=request.remote_addr or "")
            interest.check_open(site, kind=data["kind"], target_group=data.get("target_group"))
            site_id = site.site_id
        if data["website"]:  # the trap: a person never fills the hidden field; a bot learns nothing
            return {"status": "received"}
        with tenant_context(site_id), unit_of_work() as session:
            people.register(session, data["kind"], interest.registration_data(data, on=today()),
                            actor="interest-form", source="interest_form")
            session.commit()
        return {"status": "received"}
