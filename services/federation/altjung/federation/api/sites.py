"""Partner sites as the BaS sees them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from altjung.federation.models import Site
from altjung.kit.auth import require
from altjung.kit.runtime import unit_of_work

blp = Blueprint("fed_sites", __name__, url_prefix="/api/v1/partner-sites",
                description="Partnerstandorte im Überblick / Partner sites")


class SiteOut(Schema):
    site_id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    bundesland = fields.String()
    status = fields.String()
    joined_at = fields.AwareDateTime()


@blp.route("")
class Sites(MethodView):
    @require("federation_viewer", "platform_admin", tenant=False)
    @blp.response(200, SiteOut(many=True))
    def get(self):
        """Every partner site in the read model."""
        with unit_of_work() as session:
            return list(session.scalars(select(Site).order_by(Site.name)))
