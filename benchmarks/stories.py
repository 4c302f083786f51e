"""Distinct generated outage stories for the text and merge benchmarks (seeded, so every run reads
the same bytes). Each story draws its service, date, zone, clock style, phrasings, filler and
language from the seed: no two stories are the same text, and none is copied from real coverage.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

SERVICES = ["Photon Pay", "Kestrel Mail", "Northwind Cloud", "Larkspur Bank", "Quillnet", "Brightpath Rail",
            "Harbor DNS", "Copperline Mobile", "Tallgrass Video", "Mistral Maps", "Orbitex CDN", "Juniper Games",
            "Saltmarsh Health", "Ridgeway Air", "Falcon Stream", "Cobalt Docs", "Emberly Chat", "Vantage Trade"]
# (zone words as a story writes them, the UTC offset in hours they stand for)
ZONES_EN = [("ET", -4), ("Eastern time", -4), ("PT", -7), ("Pacific time", -7), ("CT", -5), ("UTC", 0),
            ("GMT", 0), ("BST", 1), ("CEST", 2), ("IST", 5.5), ("JST", 9), ("AEST", 10), ("", None)]
WHAT = ["card payments failed", "users could not log in", "the app would not load", "emails were delayed",
        "video calls dropped", "the website returned errors", "check-in kiosks went dark", "searches timed out",
        "uploads stalled", "messages were not delivered"]
WHY = ["a faulty configuration change", "a failed database upgrade", "an expired certificate",
       "a routing error at a data centre", "a storage cluster running out of space", "a bad software release",
       "a power problem at a hosting provider", "an overloaded authentication service"]
FILLER = [
    "The company apologised to customers and said it would publish a full report.",
    "Analysts said the disruption was among the longest the firm has had this year.",
    "Complaints on social media peaked in the early afternoon, according to a tracking site.",
    "A spokesperson declined to say how many accounts were affected.",
    "Shops that rely on the service said they had to turn customers away.",
    "Engineers worked through the incident from offices on two continents.",
    "It was the second problem of its kind in a month.",
    "Regulators said they were aware of the issue and were monitoring it.",
    "Some users said the mobile app kept working while the website did not.",
    "The outage did not affect stored data, the company said.",
    "Customer support lines were swamped, and waiting times ran past an hour.",
    "Competitors reported normal traffic throughout the day.",
    "The firm's shares slipped slightly in early trading before recovering.",
    "A status page run by the company showed the incident in red for most of the day.",
    "Several hospitals and schools said their own systems were not affected.",
    "Independent researchers said the pattern of errors pointed to a single region.",
    "The company promised credits to business customers under its service agreement.",
    "Staff were told to avoid deploying new code until the review was complete.",
]
START_EN = ["The outage began at {t}", "Problems started around {t}", "Users first reported trouble at {t}",
            "The service went down shortly after {t}", "From {t}, {what}"]
ACK_EN = ["The company acknowledged the issue at {t} on its status page.",
          "At {t} it posted that it was investigating.", "Engineers were alerted at {t}, the firm said."]
FIX_EN = ["A fix was rolled out by {t}.", "Engineers rolled back the change at {t}.",
          "Traffic was moved to another region at {t}."]
END_EN = ["Service was fully restored at {t}, the company said.", "Everything was back to normal by {t}.",
          "The company said at {t} that the issue had been resolved."]
OTHER = {
    "de": ("Störung bei {svc}: {what_de}", ["Die Störung begann gegen {t} Uhr {z}.",
                                             "Ab {t} Uhr {z} meldeten Nutzer Probleme."],
           ["Um {t} Uhr {z} war der Dienst wieder erreichbar.", "Gegen {t} Uhr {z} war die Störung behoben."],
           [("MESZ", 2), ("MEZ", 1)], "Der Grund war nach Angaben des Unternehmens {why_de}."),
    "fr": ("Panne chez {svc} : {what_fr}", ["La panne a commencé vers {t} {z}.",
                                             "Dès {t} {z}, des utilisateurs ont signalé des problèmes."],
           ["Le service a été rétabli à {t} {z}.", "Vers {t} {z}, tout était revenu à la normale."],
           [("heure de Paris", 2), ("UTC", 0)], "Selon l'entreprise, la cause était {why_fr}."),
    "es": ("Caída de {svc}: {what_es}", ["La caída comenzó a las {t} {z}.",
                                          "Desde las {t} {z}, los usuarios reportaron fallos."],
           ["El servicio se restableció a las {t} {z}.", "Hacia las {t} {z} todo volvió a la normalidad."],
           [("hora peninsular", 2), ("UTC", 0)], "La empresa atribuyó el fallo a {why_es}."),
    "ja": ("{svc}で障害: {what_ja}", ["障害は{t}（{z}）ごろに始まった。", "{t}（{z}）から利用者が不具合を報告した。"],
           ["{t}（{z}）にサービスは復旧した。", "同社は{t}（{z}）に復旧を発表した。"],
           [("日本時間", 9)], "原因は{why_ja}だった。"),
}
WORDS = {"what_de": ["Zahlungen schlugen fehl", "Anmeldungen waren nicht möglich"],
         "what_fr": ["les paiements échouaient", "la connexion était impossible"],
         "what_es": ["los pagos fallaban", "no se podía iniciar sesión"],
         "what_ja": ["決済ができない状態", "ログインできない状態"],
         "why_de": ["eine fehlerhafte Konfiguration", "ein misslungenes Update"],
         "why_fr": ["une mauvaise configuration", "une mise à jour ratée"],
         "why_es": ["una configuración errónea", "una actualización fallida"],
         "why_ja": ["設定の誤り", "更新作業の失敗"]}


def _clock(rnd: random.Random, when: datetime, zone: str) -> str:
    style = rnd.randrange(4)
    hour12 = when.hour % 12 or 12
    if style == 0:
        text = f"{hour12}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'}"
    elif style == 1:
        text = f"{when:%H:%M}"
    elif style == 2:
        text = f"{hour12}:{when.minute:02d}{'am' if when.hour < 12 else 'pm'}"
    else:
        text = f"about {hour12}:{when.minute:02d} {'a.m.' if when.hour < 12 else 'p.m.'}"
    return f"{text} {zone}".strip()


def story(seed: int, sentences: int = 14, incident: datetime | None = None) -> tuple[str, str, str]:
    """(file name, language, text) of story ``seed``; ``sentences`` sets its length roughly. With
    ``incident`` (UTC), the story is about an outage that began within two hours of it, so many
    stories tell one incident; otherwise on a day of seven years (the same draws either way)."""
    rnd = random.Random(seed)
    svc = rnd.choice(SERVICES) + ("" if rnd.random() < 0.5 else f" {rnd.choice(['Europe', 'Asia', 'US', 'Business'])}")
    day = datetime(2018, 1, 1) + timedelta(days=rnd.randrange(7 * 365))
    start = day + timedelta(hours=rnd.randrange(24), minutes=rnd.randrange(60))
    if incident is not None:
        start = incident + timedelta(minutes=(start.hour * 60 + start.minute) % 120)
        day = start.replace(hour=0, minute=0)
    times = [start + timedelta(minutes=m) for m in sorted(rnd.sample(range(5, 400), 3))]
    lang = rnd.choices(["en", "de", "fr", "es", "ja"], weights=[70, 9, 8, 8, 5])[0]
    if lang != "en":
        title, starts, ends, zones, why = OTHER[lang]
        zone, offset = rnd.choice(zones)
        local = [t + timedelta(hours=offset) for t in (start, times[-1])]
        fill = {k: rnd.choice(v) for k, v in WORDS.items()}
        lines = [title.format(svc=svc, **fill), f"{day:%d.%m.%Y}" if lang == "de" else f"{day:%Y-%m-%d}",
                 rnd.choice(starts).format(t=f"{local[0]:%H:%M}", z=zone), why.format(**fill),
                 rnd.choice(ends).format(t=f"{local[1]:%H:%M}", z=zone)]
        return f"story-{seed:05d}-{lang}.txt", lang, "\n\n".join(lines) + "\n"
    zone, offset = rnd.choice(ZONES_EN)
    shift = timedelta(hours=offset or 0)
    what = rnd.choice(WHAT)
    template = rnd.choice(START_EN)
    first = template.format(t=_clock(rnd, start + shift, zone), what=what)
    local_day = start + shift
    how_long = rnd.choice(["several hours", "most of the morning", "about an hour", "the afternoon"])
    body = [f"{first} on {local_day:%A}, {local_day:%B} {local_day.day}, {local_day.year}, and {what} for {how_long}."
            if "{what}" not in template else f"{first} on {local_day:%A}.",
            f"{svc} blamed {rnd.choice(WHY)}.",
            rnd.choice(ACK_EN).format(t=_clock(rnd, times[0] + shift, zone)),
            rnd.choice(FIX_EN).format(t=_clock(rnd, times[1] + shift, rnd.choice([zone, ""]))),
            rnd.choice(END_EN).format(t=_clock(rnd, times[2] + shift, zone))]
    filler = rnd.sample(FILLER, min(max(sentences - len(body), 0), len(FILLER)))
    for sentence in filler:
        body.insert(rnd.randrange(1, len(body) + 1), sentence)
    title = f"{svc} outage: {what} {rnd.choice(['for hours', 'across the country', 'on ' + f'{start:%A}'])}"
    byline = f"By {rnd.choice(['a staff reporter', 'Dana Whitfield', 'Amir Okafor', 'Lena Marsh'])}, {day:%B} {day.day}, {day.year}"
    text = "\n\n".join([title, byline, " ".join(body[:3]), " ".join(body[3:])]) + "\n"
    return f"story-{seed:05d}-{lang}.txt", lang, text


def write_stories(folder, count: int, sentences: int = 14, first: int = 0,
                  incident: datetime | None = None) -> list[tuple[str, str]]:
    """Write stories ``first`` … ``first + count - 1``; returns (path, language) of each."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in range(first, first + count):
        name, lang, text = story(seed, sentences, incident)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append((str(path), lang))
    return out
