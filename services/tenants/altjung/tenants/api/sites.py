"""The partner-site registry: platform admins create, edit, suspend, reactivate, archive and list sites;
the public sees the names of active ones."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.kit.auth import BEARER, current_principal, require
from altjung.kit.concurrency import IF_MATCH, etag, expected_version
from altjung.kit.pagination import decode_cursor, encode_cursor
from altjung.kit.problems import NotFound
from altjung.kit.runtime import unit_of_work
from altjung.tenants import registry
from altjung.tenants.models import BUNDESLAENDER, PartnerSite

blp = Blueprint("partner_sites", __name__, url_prefix="/api/v1/partner-sites",
                description="Partnerstandorte / Partner sites")
public = Blueprint("public_sites", __name__, url_prefix="/api/v1/public/partner-sites",
                   description="Öffentliche Liste / Public list")

STATUSES = ("active", "suspended", "archived")
#: Sites per page unless ``limit`` says otherwise.
DEFAULT_PAGE = 50


class PartnerSiteIn(Schema):
    slug = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$"))
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    organisation = fields.String(load_default="", validate=validate.Length(max=200))
    bundesland = fields.String(required=True, validate=validate.OneOf(sorted(BUNDESLAENDER)))
    region = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.Email(load_default="")
    first_coordinator_email = fields.Email(required=True)


class PartnerSitePatch(Schema):
    """Registry fields to change; the version (or an If-Match header) guards against lost updates."""

    name = fields.String(validate=validate.Length(min=2, max=200))
    organisation = fields.String(validate=validate.Length(max=200))
    bundesland = fields.String(validate=validate.OneOf(sorted(BUNDESLAENDER)))
    region = fields.String(validate=validate.Length(max=200))
    contact_email = fields.Email()
    version = fields.Integer()


class StatusChangeIn(Schema):
    #: A code such as "contract_paused" (no free text about people).
    reason = fields.String(load_default="", validate=validate.Regexp(r"^[a-z0-9_]{0,80}$"))
    version = fields.Integer()


class PartnerSiteOut(Schema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    organisation = fields.String()
    bundesland = fields.String()
    region = fields.String()
    contact_email = fields.String()
    status = fields.String()
    status_reason = fields.String()
    status_changed_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class PartnerSiteQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    bundesland = fields.String(validate=validate.OneOf(sorted(BUNDESLAENDER)))
    name = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(min=1, max=200))
    cursor = fields.String()


class PartnerSitePage(Schema):
    items = fields.List(fields.Nested(PartnerSiteOut))
    #: Pass as ``cursor`` for the next page; null on the last one.
    next_cursor = fields.String(allow_none=True)


class PublicSiteOut(Schema):
    slug = fields.String()
    name = fields.String()
    bundesland = fields.String()


@blp.route("")
class PartnerSites(MethodView):
    @require("platform_admin", tenant=False)
    @blp.doc(**BEARER)
    @blp.arguments(PartnerSiteQuery, location="query")
    @blp.response(200, PartnerSitePage)
    def get(self, query: dict):
        """Partner sites by name, filtered by status, Bundesland and name (platform admins only)."""
        limit = query["limit"]
        sites = registry.sites_page(status=query.get("status"), bundesland=query.get("bundesland"),
                                    name=query.get("name"), after=decode_cursor(query.get("cursor")), limit=limit + 1)
        page = sites[:limit]
        more = len(sites) > limit
        return {"items": page, "next_cursor": encode_cursor(page[-1].name, page[-1].id) if more else None}

    @require("platform_admin", tenant=False)
    @blp.doc(**BEARER)
    @blp.arguments(PartnerSiteIn)
    @blp.response(201, PartnerSiteOut)
    def post(self, data: dict):
        """Create a partner site and invite its first coordinator, in one call."""
        coordinator = data.pop("first_coordinator_email")
        site = registry.create_site(data, coordinator_email=coordinator, actor=current_principal().subject)
        return site, etag(site.version)


@blp.route("/<uuid:site_id>")
class PartnerSiteById(MethodView):
    @require("platform_admin", tenant=False)
    @blp.doc(**BEARER)
    @blp.response(200, PartnerSiteOut)
    def get(self, site_id: UUID):
        """One partner site."""
        with unit_of_work() as session:
            site = session.get(PartnerSite, site_id)
        if site is None:
            raise NotFound("partner_site", site_id)
        return site, etag(site.version)

    @require("platform_admin", tenant=False)
    @blp.doc(**IF_MATCH)
    @blp.arguments(PartnerSitePatch)
    @blp.response(200, PartnerSiteOut)
    def patch(self, data: dict, site_id: UUID):
        """Change a site's registry entry (If-Match or version required; stale: 412; archived: 409)."""
        version = expected_version(data.pop("version", None), required=True)
        site = registry.edit_site(site_id, data, expected_version=version)
        return site, etag(site.version)


def _status_route(path: str, action: str, doc: str) -> None:
    class StatusChange(MethodView):
        @require("platform_admin", tenant=False)
        @blp.doc(**BEARER)
        @blp.arguments(StatusChangeIn)
        @blp.response(200, PartnerSiteOut)
        def post(self, data: dict, site_id: UUID):
            version = expected_version(data.get("version"), required=False)
            site = registry.change_status(site_id, action, reason=data["reason"], expected_version=version)
            return site, etag(site.version)

    StatusChange.post.__doc__ = doc
    StatusChange.__name__ = f"PartnerSite{action.title()}"
    blp.route(f"/<uuid:site_id>/{path}")(StatusChange)


_status_route("suspension", "suspend",
              "Suspend a site: its logins, API calls, webhooks and public form stop within seconds.")
_status_route("reactivation", "reactivate", "Reactivate a suspended site.")
_status_route("archival", "archive", "Archive a site: from now on it is read-only.")


@public.route("")
class PublicSites(MethodView):
    @public.response(200, PublicSiteOut(many=True))
    def get(self):
        """Active partner sites, for the portal's start page and the public interest forms."""
        with unit_of_work() as session:
            return list(session.scalars(select(PartnerSite).where(PartnerSite.status == "active")
                                        .order_by(PartnerSite.name)))
