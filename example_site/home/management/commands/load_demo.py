"""``manage.py load_demo``: the example site's demo content.

Creates the home page (replacing Wagtail's "Welcome" page as the default site's root), the series
"Memories" with one published part and two announced forthcoming parts, and a demo superuser
``admin`` / ``changeme``.

Safe to re-run: it creates only what is missing and never changes what already exists, so edits
made in the admin (and a changed admin password) survive. Everything happens in one transaction.

When Wagtail's i18n is on with a French content language (``WAGTAIL_SERIES_DEMO_LANGUAGES=en,fr``
in the settings), it also creates the French locale and French translations of the home page and
of "Memories" ("Souvenirs"), made with ``copy_for_translation`` as an editor's "Translate" would,
in the same states as the English pages.

``--extra-parts N`` also creates a generated series, "Big series", with N parts (every fourth
announced as forthcoming, the others published), for fuzzing and benchmarking the API. Its parts
are written as rows (not through revisions) so that hundreds take seconds; re-running adds only
the parts still missing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from example_site.home.models import HomePage, ReviewPage
from wagtail_series.models import LinkedPart, SeriesPage, SeriesPart

SITE_NAME = "wagtail-series demo"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "changeme"

HOME_INTRO = (
    "<p>This is the example site of <b>wagtail-series</b>. A series is an ordered set of parts; "
    "a part that is not published yet can be announced as <i>coming soon</i>, and links to it "
    "turn into real links by themselves the moment it is published.</p>"
)

SERIES_DESCRIPTION = (
    "<p><i>Memories</i> (1995) is an anthology film built on three short stories by "
    "Katsuhiro Otomo, each made by a different director and a different team. The three "
    "shorts have almost nothing in common except their ambition: a ghost story in deep space, "
    "a disaster comedy about a man who cannot stop being dangerous, and a grim, meticulous day "
    "in a city that lives to fire its guns.</p>"
    "<p>This series looks at them one at a time, in the order the film presents them.</p>"
)


def paragraph(html: str) -> dict[str, str]:
    return {"type": "paragraph", "value": html}


def heading(text: str) -> dict[str, str]:
    return {"type": "heading", "value": text}


def page_link(page: Page, text: str) -> str:
    """A rich-text link to a page, as Wagtail stores it."""
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def reload(page: Page) -> Page:
    """A fresh copy of ``page`` from the database: never publish a stale in-memory page."""
    return Page.objects.get(pk=page.pk).specific


# The two parts that are announced but not published. Their intro and body are draft content:
# readers must only ever see the title, the teaser and the expected date.
FORTHCOMING_PARTS: list[dict[str, Any]] = [
    {
        "slug": "stink-bomb",
        "title": "Stink Bomb",
        "forthcoming_teaser": (
            "A junior researcher takes the wrong pill for his cold, and the army learns what "
            "the wrong pill can do."
        ),
        "expected_in_days": 30,
        "intro": "The middle short plays a catastrophe as a comedy of errors.",
        "body": [
            paragraph(
                "<p>Draft: notes on the pacing, the office politics and the escalating "
                "attempts to stop one very unwell man from reaching Tokyo.</p>"
            )
        ],
    },
    {
        "slug": "cannon-fodder",
        "title": "Cannon Fodder",
        "forthcoming_teaser": (
            "One ordinary day in a city whose whole life is loading, aiming and firing."
        ),
        "expected_in_days": None,
        "intro": "The last short, directed by Otomo himself, is the shortest and the bleakest.",
        "body": [
            paragraph(
                "<p>Draft: notes on the long, unbroken camera moves and the city's rituals "
                "of war.</p>"
            )
        ],
    },
]

MAGNETIC_ROSE = {
    "slug": "magnetic-rose",
    "title": "Magnetic Rose",
    "intro": (
        "The anthology opens with its longest and most haunting short: a salvage crew answers "
        "a distress call and walks into someone else's memories."
    ),
}


def magnetic_rose_body(stink_bomb: Page | None, cannon_fodder: Page | None) -> str:
    def mention(page: Page | None, text: str) -> str:
        return page_link(page, text) if page is not None else text

    return json.dumps(
        [
            paragraph(
                "<p>A small crew of space salvagers is heading home when a distress signal "
                "pulls them into a drifting graveyard of wrecked ships. At its centre floats a "
                "station that, inside, turns out to be an opulent and slowly rotting mansion, "
                "the home of a long-vanished opera singer.</p>"
            ),
            heading("A house made of memories"),
            paragraph(
                "<p>The deeper the two men who board the station go, the less they can trust "
                "what they see. The rooms replay the singer's past as she wished it had been, "
                "and the station seems to want visitors to stay and take part. The horror is "
                "quiet: grief and nostalgia are the traps, not monsters.</p>"
            ),
            paragraph(
                "<p>The short is lavish in a way few animated films are: every surface of the "
                "mansion is crowded with detail, and the music moves between an eerie original "
                "score and grand operatic arias that the station itself seems to be singing.</p>"
            ),
            {
                "type": "quote",
                "value": "The most beautiful room in the house is the one you cannot leave.",
            },
            heading("What comes next"),
            paragraph(
                "<p>After this, the film changes its tone completely. "
                f"{mention(stink_bomb, 'Stink Bomb')} turns a laboratory accident into a "
                "frantic comedy, and "
                f"{mention(cannon_fodder, 'Cannon Fodder')} closes the anthology with a single "
                "day in a walled city at war. Both parts of this series are on their way: the "
                "links above will start working as soon as they are published.</p>"
            ),
        ]
    )


# The French translation (WAGTAIL_SERIES_DEMO_LANGUAGES=en,fr), keyed by the English slug.
FRENCH = "fr"
FRENCH_HOME = {
    "title": "Démo de wagtail-series",
    "slug": "accueil",
    "intro": (
        "<p>Voici le site d'exemple de <b>wagtail-series</b>. Une série est une suite ordonnée "
        "de parties ; une partie pas encore publiée peut être annoncée comme <i>à venir</i>, et "
        "les liens vers elle deviennent de vrais liens d'eux-mêmes dès sa publication.</p>"
    ),
}
FRENCH_SERIES = {
    "title": "Souvenirs",
    "slug": "souvenirs",
    "part_label": "Partie",
    "description": (
        "<p><i>Memories</i> (1995) est un film à sketches tiré de trois nouvelles de "
        "Katsuhiro Otomo, chacun réalisé par un autre réalisateur et une autre équipe : une "
        "histoire de fantômes dans l'espace, une comédie catastrophe et la journée minutieuse "
        "d'une ville qui vit pour faire tonner ses canons.</p>"
        "<p>Cette série les regarde un par un, dans l'ordre du film.</p>"
    ),
}
FRENCH_PARTS: dict[str, dict[str, str]] = {
    "stink-bomb": {
        "title": "Boule puante",
        "slug": "boule-puante",
        "forthcoming_teaser": (
            "Un jeune chercheur prend le mauvais cachet contre son rhume, et l'armée découvre "
            "ce que peut faire le mauvais cachet."
        ),
        "intro": "Le deuxième court métrage joue une catastrophe en comédie des erreurs.",
    },
    "cannon-fodder": {
        "title": "Chair à canon",
        "slug": "chair-a-canon",
        "forthcoming_teaser": (
            "Une journée ordinaire dans une ville qui ne vit que pour charger, viser et tirer."
        ),
        "intro": "Le dernier court métrage, réalisé par Otomo lui-même, est le plus sombre.",
    },
    "magnetic-rose": {
        "title": "La Rose magnétique",
        "slug": "la-rose-magnetique",
        "intro": (
            "Le film s'ouvre sur son court métrage le plus long et le plus obsédant : une équipe "
            "de récupérateurs répond à un appel de détresse et entre dans les souvenirs d'une "
            "autre."
        ),
    },
}


def french_magnetic_rose_body(stink_bomb: Page, cannon_fodder: Page) -> str:
    return json.dumps(
        [
            paragraph(
                "<p>Une petite équipe de récupérateurs de l'espace rentre chez elle quand un "
                "signal de détresse l'attire dans un cimetière d'épaves. En son centre flotte une "
                "station qui abrite un manoir somptueux et lentement pourrissant, celui d'une "
                "cantatrice disparue depuis longtemps.</p>"
            ),
            heading("Une maison faite de souvenirs"),
            paragraph(
                "<p>Plus les deux hommes avancent dans la station, moins ils peuvent se fier à ce "
                "qu'ils voient : les pièces rejouent le passé de la cantatrice tel qu'elle l'avait "
                "rêvé. Les pièges sont le deuil et la nostalgie, pas des monstres.</p>"
            ),
            heading("La suite"),
            paragraph(
                "<p>Ensuite, le film change complètement de ton. "
                f"{page_link(stink_bomb, 'Boule puante')} fait d'un accident de laboratoire une "
                f"comédie frénétique, et {page_link(cannon_fodder, 'Chair à canon')} clôt le "
                "film sur une journée dans une ville fortifiée en guerre. Ces deux parties sont en "
                "route : les liens ci-dessus fonctionneront dès leur publication.</p>"
            ),
        ]
    )


BIG_SERIES = {"slug": "big-series", "title": "Big series"}
# Every FORTHCOMING_EVERY-th generated part is announced but not published.
FORTHCOMING_EVERY = 4


class Command(BaseCommand):
    help = (
        "Load the example site's demo content: a home page, the series 'Memories' and a demo "
        "superuser admin/changeme. Safe to re-run: it only creates what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--extra-parts",
            type=int,
            default=0,
            metavar="N",
            help=(
                "Also create the generated series 'Big series' with N parts (published, and every "
                f"{FORTHCOMING_EVERY}th forthcoming), for fuzzing and benchmarks."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        self.actions: list[str] = []
        extra_parts = options["extra_parts"]
        if extra_parts < 0:
            raise CommandError("--extra-parts must be 0 or more.")
        with transaction.atomic():
            home = self.ensure_home_page()
            self.ensure_site_address()
            series = self.ensure_series(home)
            parts = self.ensure_parts(series)
            best_of = self.ensure_best_of(home, parts)
            french = self.ensure_french(home, series, parts) if self.wants_french() else None
            big_series = self.ensure_big_series(home, extra_parts) if extra_parts else None
            self.ensure_admin_user()
        self.print_summary(home, series, big_series, french, best_of)

    def note(self, message: str) -> None:
        self.actions.append(message)

    # --- Home page and site --------------------------------------------------------------

    def ensure_site_address(self) -> None:
        """The default Site's hostname and port are those the demo is served on
        (``WAGTAILADMIN_BASE_URL``, which ``make demo PORT=...`` sets): absolute URLs in the APIs,
        feeds and JSON-LD come from the Site record, not from the request."""
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        hostname = address.hostname or "localhost"
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.get(is_default_site=True)
        if (site.hostname, site.port) == (hostname, port):
            self.note(f"default site address: already {site.root_url}, left as it is")
            return
        site.hostname, site.port = hostname, port
        site.save()
        self.note(f"default site address: now {site.root_url}")

    def ensure_home_page(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and site.root_page.specific_class is HomePage:
            self.note("home page: already the default site's root, left as it is")
            return site.root_page.specific

        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            slug_taken = root.get_children().filter(slug="home").exists()
            home = HomePage(
                title="wagtail-series demo",
                # Wagtail's welcome page has the slug "home": take it over once that page is gone.
                slug="demo-home" if slug_taken else "home",
                intro=HOME_INTRO,
                live=False,
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            home = reload(home)
            self.note("home page: created")

        old_root = site.root_page if site is not None else None
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=SITE_NAME,
            )
            self.note("default site: created, rooted at the home page")
        else:
            site.root_page = home
            site.site_name = site.site_name or SITE_NAME
            site.save()
            self.note("default site: now rooted at the home page")

        if old_root is not None and old_root.pk != home.pk:
            self.remove_welcome_page(old_root)
        if home.slug != "home" and not root.get_children().filter(slug="home").exists():
            home = reload(home)
            home.slug = "home"
            home.save_revision().publish()
            home = reload(home)
        return home

    def remove_welcome_page(self, page: Page) -> None:
        """Delete Wagtail's default "Welcome" page, but only if it is exactly that: a plain page
        under the tree root with no children that no site uses."""
        if (
            page.specific_class is Page
            and page.depth == 2
            and not page.get_children().exists()
            and not Site.objects.filter(root_page=page).exists()
        ):
            title = page.title
            page.delete()
            self.note(f"old root page {title!r}: deleted")
        else:
            self.note(f"old root page {page.title!r}: kept (not Wagtail's default welcome page)")

    # --- The series ----------------------------------------------------------------------

    def ensure_series(self, home: HomePage) -> SeriesPage:
        series = SeriesPage.objects.child_of(home).filter(slug="memories").first()
        if series is not None:
            self.note("series 'Memories': already exists, left as it is")
            return series
        series = SeriesPage(
            title="Memories",
            slug="memories",
            description=SERIES_DESCRIPTION,
            part_label="Part",
            planned_parts=3,
            live=False,
        )
        series.tags.add("anime", "film")
        home.add_child(instance=series)
        series.save_revision().publish()
        self.note("series 'Memories': created and published")
        return reload(series)

    def ensure_parts(self, series: SeriesPage) -> dict[str, SeriesPart]:
        parts: dict[str, SeriesPart] = {
            part.slug: part for part in SeriesPart.objects.child_of(series)
        }
        # The forthcoming parts come first so that Part 1 can link to them.
        for spec in FORTHCOMING_PARTS:
            if spec["slug"] in parts:
                self.note(f"part {spec['title']!r}: already exists, left as it is")
                continue
            days = spec["expected_in_days"]
            part = SeriesPart(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body=json.dumps(spec["body"]),
                announce_forthcoming=True,
                forthcoming_teaser=spec["forthcoming_teaser"],
                expected_date=timezone.localdate() + dt.timedelta(days=days) if days else None,
                live=False,
            )
            series.add_child(instance=part)
            part.save_revision()  # a draft: never published
            parts[spec["slug"]] = reload(part)
            self.note(f"part {spec['title']!r}: created as an announced draft")

        if MAGNETIC_ROSE["slug"] in parts:
            self.note(f"part {MAGNETIC_ROSE['title']!r}: already exists, left as it is")
        else:
            rose = SeriesPart(
                title=MAGNETIC_ROSE["title"],
                slug=MAGNETIC_ROSE["slug"],
                intro=MAGNETIC_ROSE["intro"],
                body=magnetic_rose_body(parts.get("stink-bomb"), parts.get("cannon-fodder")),
                live=False,
            )
            series.add_child(instance=rose)
            rose.save_revision().publish()
            # Created last (it links to the others) but it is Part 1: put it first in the tree.
            reload(rose).move(reload(series), pos="first-child")
            parts[MAGNETIC_ROSE["slug"]] = reload(rose)
            self.note(f"part {MAGNETIC_ROSE['title']!r}: created, published and moved first")
        return parts

    # --- A series of pages living elsewhere (linked parts) -------------------------------

    def ensure_best_of(self, home: HomePage, parts: dict[str, SeriesPart]) -> SeriesPage:
        """ "Best of Otomo": linked parts, so pages join it without moving. Memories' Part 1
        (a page in two series), a standalone review outside any series, Memories' forthcoming
        "Stink Bomb" (a link once it is published, in both series) and a placeholder with no
        page yet."""
        review = ReviewPage.objects.child_of(home).filter(slug="akira-review").first()
        if review is not None:
            self.note(f"review {review.title!r}: already exists, left as it is")
        else:
            review = ReviewPage(
                title="Akira (1988): a review",
                slug="akira-review",
                intro="Otomo's own adaptation of his manga, and why it still matters.",
                body="<p>A standalone review, outside any series, linked in 'Best of Otomo'.</p>",
                search_description="Otomo's own adaptation of his manga.",
                live=False,
            )
            home.add_child(instance=review)
            review.save_revision().publish()
            self.note("review 'Akira (1988): a review': created and published")
        best_of = SeriesPage.objects.child_of(home).filter(slug="best-of-otomo").first()
        if best_of is not None:
            self.note("series 'Best of Otomo': already exists, left as it is")
            return best_of
        best_of = SeriesPage(
            title="Best of Otomo",
            slug="best-of-otomo",
            description="<p>Katsuhiro Otomo's best work, wherever it is reviewed on this site.</p>",
            part_label="Pick",
            live=False,
        )
        home.add_child(instance=best_of)
        best_of.save_revision().publish()
        links = [
            ("Magnetic Rose", "magnetic-rose", parts.get(MAGNETIC_ROSE["slug"]), ""),
            ("Akira", "akira", review, ""),
            ("Stink Bomb", "stink-bomb", parts.get("stink-bomb"), "Soon in Memories too."),
            ("Steamboy", "steamboy", None, "A review to come: no page yet."),
        ]
        for title, slug, target, teaser in links:
            link = LinkedPart(
                title=title, slug=slug, target=target, forthcoming_teaser=teaser, live=False
            )
            reload(best_of).add_child(instance=link)
            link.save_revision().publish()
        self.note("series 'Best of Otomo': created, linking 3 pages and a placeholder")
        return reload(best_of)

    # --- The French translation --------------------------------------------------------

    def wants_french(self) -> bool:
        content_languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [])
        return getattr(settings, "WAGTAIL_I18N_ENABLED", False) and any(
            code == FRENCH for code, _ in content_languages
        )

    def translate(self, page: Page, locale: Locale, fields: dict[str, Any]) -> tuple[Page, bool]:
        """``page``'s translation into ``locale``, as ``copy_for_translation`` makes it with
        ``fields`` set on it and saved as a revision (a draft), and whether it was created now.
        An existing translation is returned as it is."""
        existing = page.get_translation_or_none(locale)
        if existing is not None:
            return existing.specific, False
        translation = page.specific.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translation, name, value)
        # The row too, not only the revision: a draft's row holds its latest content.
        translation.save()
        translation.save_revision()
        return reload(translation), True

    def ensure_french(
        self, home: HomePage, series: SeriesPage, parts: dict[str, SeriesPart]
    ) -> SeriesPage:
        locale, created = Locale.objects.get_or_create(language_code=FRENCH)
        self.note(f"locale {FRENCH!r}: {'created' if created else 'already exists, left as it is'}")

        french_home, created = self.translate(home, locale, FRENCH_HOME)
        if created:
            french_home.get_latest_revision().publish()
            self.note("French home page: translated and published")
        else:
            self.note("French home page: already exists, left as it is")

        french_series, created = self.translate(series, locale, FRENCH_SERIES)
        if created:
            french_series.get_latest_revision().publish()
            self.note(f"series {FRENCH_SERIES['title']!r}: translated and published")
        else:
            self.note(f"series {FRENCH_SERIES['title']!r}: already exists, left as it is")

        # As in English: the announced drafts first, so that Part 1 can link to them.
        french_parts: dict[str, Page] = {}
        for slug in ("stink-bomb", "cannon-fodder"):
            spec = FRENCH_PARTS[slug]
            french_parts[slug], created = self.translate(parts[slug], locale, spec)
            state = (
                "translated as an announced draft" if created else "already exists, left as it is"
            )
            self.note(f"part {spec['title']!r}: {state}")

        spec = FRENCH_PARTS["magnetic-rose"]
        rose, created = self.translate(
            parts["magnetic-rose"],
            locale,
            {
                **spec,
                "body": french_magnetic_rose_body(
                    french_parts["stink-bomb"], french_parts["cannon-fodder"]
                ),
            },
        )
        if created:
            rose.get_latest_revision().publish()
            reload(rose).move(reload(french_series), pos="first-child")
            self.note(f"part {spec['title']!r}: translated, published and moved first")
        else:
            self.note(f"part {spec['title']!r}: already exists, left as it is")
        return reload(french_series)

    # --- The generated series ------------------------------------------------------------

    def ensure_big_series(self, home: HomePage, count: int) -> SeriesPage:
        """'Big series' with ``count`` generated parts; adds only the parts that are missing."""
        series = SeriesPage.objects.child_of(home).filter(slug=BIG_SERIES["slug"]).first()
        if series is None:
            series = SeriesPage(
                title=BIG_SERIES["title"],
                slug=BIG_SERIES["slug"],
                description="<p>A long, generated series for fuzzing and benchmarks.</p>",
                part_label="Chapter",
                planned_parts=count,
                live=False,
            )
            series.tags.add("generated")
            home.add_child(instance=series)
            series.save_revision().publish()
            series = reload(series)
            self.note(f"series {BIG_SERIES['title']!r}: created and published")

        existing = set(SeriesPart.objects.child_of(series).values_list("slug", flat=True))
        start = timezone.now() - dt.timedelta(days=count)
        added = 0
        for number in range(1, count + 1):
            slug = f"part-{number:04d}"
            if slug in existing:
                continue
            title = f"Generated part {number}"
            if number % FORTHCOMING_EVERY == 0:
                part = SeriesPart(
                    title=title,
                    slug=slug,
                    intro=f"Draft intro of part {number}.",
                    announce_forthcoming=True,
                    forthcoming_teaser=f"Part {number} is on its way.",
                    expected_date=(
                        timezone.localdate() + dt.timedelta(days=number) if number % 8 else None
                    ),
                    live=False,
                )
            else:
                published_at = start + dt.timedelta(days=number)
                part = SeriesPart(
                    title=title,
                    slug=slug,
                    intro=f"The intro of part {number}.",
                    body=json.dumps([paragraph(f"<p>The text of part {number}.</p>")]),
                    live=True,
                    first_published_at=published_at,
                    last_published_at=published_at,
                )
            series.add_child(instance=part)
            added += 1
        if added == 0:
            self.note(f"series {BIG_SERIES['title']!r}: has its {count} parts, left as it is")
        else:
            self.note(f"series {BIG_SERIES['title']!r}: {added} generated parts added")
        return series

    # --- Demo superuser ------------------------------------------------------------------

    def ensure_admin_user(self) -> None:
        User = get_user_model()
        if User.objects.filter(**{User.USERNAME_FIELD: ADMIN_USERNAME}).exists():
            self.note(f"user {ADMIN_USERNAME!r}: already exists, left as it is")
            return
        User.objects.create_superuser(
            **{User.USERNAME_FIELD: ADMIN_USERNAME},
            email="admin@example.com",
            password=ADMIN_PASSWORD,
        )
        self.note(f"user {ADMIN_USERNAME!r}: created (password {ADMIN_PASSWORD!r}, demo only)")

    # --- Summary -------------------------------------------------------------------------

    def print_summary(
        self,
        home: Page,
        series: Page,
        big_series: Page | None = None,
        french_series: Page | None = None,
        best_of: Page | None = None,
    ) -> None:
        if self.verbosity < 1:
            return
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")

        def url(page: Page) -> str:
            page_url = reload(page).get_url() or ""
            return page_url if "://" in page_url else base + page_url

        rows = [("Home page", url(home), ""), ("Series", url(series), "")]
        for part in SeriesPart.objects.child_of(series).order_by("path"):
            state = "published" if part.live else "draft, announced as coming soon"
            rows.append((part.title, url(part), f"({state})"))
        if best_of is not None:
            rows.append((best_of.title, url(best_of), "(linked parts: pages that didn't move)"))
            for review in ReviewPage.objects.all():
                rows.append((review.title, url(review), "(a page outside any series)"))
        if french_series is not None:
            french_home = french_series.get_parent()
            rows.append(("French home page", url(french_home), ""))
            rows.append((french_series.title, url(french_series), "(French series)"))
            for part in SeriesPart.objects.child_of(french_series).order_by("path"):
                state = "published" if part.live else "draft, announced as coming soon"
                rows.append((part.title, url(part), f"({state})"))
            rows.append(
                (
                    "API (French)",
                    f"{base}/api/v2/series/?locale={FRENCH}",
                    f"(feed: {url(french_series)}feed/)",
                )
            )
        if big_series is not None:
            parts = SeriesPart.objects.child_of(big_series)
            published = parts.filter(live=True).count()
            rows.append(
                (
                    big_series.title,
                    url(big_series),
                    f"({parts.count()} parts, {published} published)",
                )
            )
        rows.append(("API", f"{base}/api/v2/series/", "(OpenAPI: /api/openapi/series.json)"))
        rows.append(
            (
                "Admin",
                f"{base}/admin/",
                f"(demo user {ADMIN_USERNAME}, first password {ADMIN_PASSWORD})",
            )
        )
        width = max(len(label) for label, _, _ in rows) + 2

        out = self.stdout
        out.write(self.style.SUCCESS("Demo content is ready."))
        for action in self.actions:
            out.write(f"  - {action}")
        out.write("")
        for label, address, note in rows:
            out.write(f"  {label + ':':<{width}}{address}  {note}".rstrip())
