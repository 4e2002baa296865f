"""The partner-site registry: platform admins create and list sites; the public sees active names."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from altjung.events.catalogue import TenantCreated
from altjung.kit.auth import require
from altjung.kit.bus import record
from altjung.kit.problems import Conflict, NotFound
from altjung.kit.runtime import unit_of_work
from altjung.tenants.models import BUNDESLAENDER, PartnerSite

blp = Blueprint("partner_sites", __name__, url_prefix="/api/v1/partner-sites",
                description="Partnerstandorte / Partner sites")
public = Blueprint("public_sites", __name__, url_prefix="/api/v1/public/partner-sites",
                   description="Öffentliche Liste / Public list")


class PartnerSiteIn(Schema):
    slug = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$"))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    organisation = fields.String(load_default="", validate=validate.Length(max=200))
    bundesland = fields.String(required=True, validate=validate.OneOf(sorted(BUNDESLAENDER)))
    region = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.Email(load_default="")
    first_coordinator_email = fields.Email(required=True)


class PartnerSiteOut(Schema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    organisation = fields.String()
    bundesland = fields.String()
    region = fields.String()
    contact_email = fields.String()
    status = fields.String()
    version = fields.Integer()
    created_at = fields.AwareDateTime()


class PublicSiteOut(Schema):
    slug = fields.String()
    name = fields.String()
    bundesland = fields.String()


@blp.route("")
class PartnerSites(MethodView):
    @require("platform_admin", tenant=False)
    @blp.response(200, PartnerSiteOut(many=True))
    def get(self):
        """All partner sites (platform admins only)."""
        with unit_of_work() as session:
            return list(session.scalars(select(PartnerSite).order_by(PartnerSite.name)))

    @require("platform_admin", tenant=False)
    @blp.arguments(PartnerSiteIn)
    @blp.response(201, PartnerSiteOut)
    def post(self, data: dict):
        """Create a partner site and invite its first coordinator, in one call."""
        coordinator = data.pop("first_coordinator_email")
        with unit_of_work() as session:
            site = PartnerSite(**data)
            session.add(site)
            try:
                session.flush()
            except IntegrityError:
                raise Conflict("Dieses Kürzel ist vergeben. / This slug is taken.") from None
            record(session, TenantCreated(tenant_id=site.id, slug=site.slug, name=site.name,
                                          bundesland=site.bundesland, first_coordinator_email=coordinator),
                   tenant_id=site.id)
            session.commit()
            return site


@blp.route("/<uuid:site_id>")
class PartnerSiteById(MethodView):
    @require("platform_admin", tenant=False)
    @blp.response(200, PartnerSiteOut)
    def get(self, site_id: UUID):
        """One partner site."""
        with unit_of_work() as session:
            site = session.get(PartnerSite, site_id)
        if site is None:
            raise NotFound("partner_site", site_id)
        return site


@public.route("")
class PublicSites(MethodView):
    @public.response(200, PublicSiteOut(many=True))
    def get(self):
        """Active partner sites, for the portal's start page and the public interest forms."""
        with unit_of_work() as session:
            return list(session.scalars(select(PartnerSite).where(PartnerSite.status == "active")
                                        .order_by(PartnerSite.name)))
