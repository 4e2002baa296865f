"""Password-reset links for notifications to send (the event names ids only)."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from altjung.identity.config import link_secret
from altjung.identity.models import PasswordReset, User
from altjung.identity.security.secrets import hash_token
from altjung.kit.auth import require
from altjung.kit.bus.models import utcnow
from altjung.kit.problems import NotFound
from altjung.kit.runtime import current_runtime, unit_of_work

blp = Blueprint("password_resets", __name__, url_prefix="/api/v1/password-resets",
                description="Passwort zurücksetzen / Password resets")


class PasswordResetDeliveryOut(Schema):
    email = fields.Email(required=True)
    display_name = fields.String(required=True)
    reset_url = fields.Url(required=True)
    expires_at = fields.AwareDateTime(required=True)


@blp.route("/<uuid:reset_id>/delivery")
class PasswordResetDelivery(MethodView):
    @require(scopes=("password-resets:deliver",), tenant=False)
    @blp.response(200, PasswordResetDeliveryOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, reset_id: UUID):
        """The reset link (the same for every delivery) for notifications to send now."""
        issuer = current_runtime().settings.issuer
        with unit_of_work() as session:
            reset = session.get(PasswordReset, reset_id)
            if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
                raise NotFound("password-reset", reset_id)
            user = session.get(User, reset.user_id)
            secret = link_secret(current_runtime().settings, "password-reset", reset.id)
            reset.token_hash = hash_token(secret)
            session.commit()
            return {"email": user.email, "display_name": user.display_name,
                    "reset_url": f"{issuer}/password-reset/{reset.id}?token={secret}", "expires_at": reset.expires_at}
