"""Writes the hand-made FEC of a small hotel (``123456782FEC20251231.txt``) used by the FEC tests.

Hôtel des Cimes, a fictional 20-room hotel, exercise 2025. Every entry is written out below so
that the tests can compute their expected totals by hand from this file. Run it from the project
root to write the file again: ``python tests/data/make_fec_hotel.py``.
"""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|"
    "PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
)
JOURNALS = {
    "AN": "A nouveaux",
    "AC": "Achats",
    "BQ": "Banque",
    "OD": "Operations diverses",
    "VE": "Ventes",
}
LABELS = {
    "101": "Capital",
    "164": "Emprunts",
    "2131": "Batiments",
    "2183": "Materiel informatique",
    "2813": "Amortissements des constructions",
    "37": "Stocks de marchandises",
    "401": "Fournisseurs",
    "404": "Fournisseurs d'immobilisations",
    "411": "Clients",
    "421": "Personnel remunerations dues",
    "431": "Securite sociale",
    "447": "Autres impots",
    "44562": "TVA sur immobilisations",
    "44566": "TVA deductible sur ABS",
    "44571": "TVA collectee",
    "512": "Banque",
    "6037": "Variation des stocks de marchandises",
    "6061": "Fournitures non stockables (eau, energie)",
    "607": "Achats de marchandises",
    "6081": "Frais accessoires sur achats",
    "6097": "Rabais remises ristournes sur marchandises",
    "615": "Entretien et reparations",
    "616": "Primes d'assurance",
    "6226": "Honoraires",
    "6251": "Voyages et deplacements",
    "626": "Frais postaux et de telecommunications",
    "627": "Services bancaires",
    "635": "Autres impots et taxes",
    "641": "Remunerations du personnel",
    "645": "Charges de securite sociale",
    "6811": "Dotations aux amortissements",
    "706": "Prestations de services",
}
SUPPLIERS = {
    "FMETRO": "Metro Grenoble",
    "FBOISS": "Boissons des Alpes",
    "FEDF": "EDF Entreprises",
    "FORANGE": "Orange Business",
    "FCOMPTA": "Cabinet Comptable Alpin",
    "FASSUR": "Mutuelle Montagne Assurances",
    "FASCEN": "Ascenseurs Savoie",
    "FINFO": "Info Alpes",
    "FSNCF": "SNCF Voyageurs",
    "CLIENTS": "Clients divers",
}


def money(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


class Book:
    def __init__(self) -> None:
        self.rows: list[str] = [HEADER]
        self.numbers: dict[str, int] = {}

    def entry(
        self, journal: str, day: str, label: str, *lines: tuple[str, str, float, float]
    ) -> None:
        """One balanced entry; each line is (account, auxiliary, debit, credit)."""
        assert round(sum(d - c for _, _, d, c in lines), 2) == 0, label
        self.numbers[journal] = self.numbers.get(journal, 0) + 1
        number = f"{journal}{self.numbers[journal]:05d}"
        for account, aux, debit, credit in lines:
            self.rows.append(
                "|".join(
                    [
                        journal,
                        JOURNALS[journal],
                        number,
                        day,
                        account,
                        LABELS[account],
                        aux,
                        SUPPLIERS.get(aux, ""),
                        number,
                        day,
                        label,
                        money(debit),
                        money(credit),
                        "",
                        "",
                        day,
                        "",
                        "",
                    ]
                )
            )


def build() -> str:
    book = Book()
    # Opening balances: class 2 accounts without a 404 counterpart are not this year's purchases.
    book.entry(
        "AN",
        "20250101",
        "A nouveaux",
        ("2131", "", 250000, 0),
        ("2183", "", 4000, 0),
        ("101", "", 0, 150000),
        ("164", "", 0, 104000),
    )
    # An invoice of the previous exercise, outside the period.
    book.entry(
        "AC", "20241230", "Metro decembre 2024", ("607", "", 500, 0), ("401", "FMETRO", 0, 500)
    )
    for month in range(1, 13):
        day = f"2025{month:02d}05"
        book.entry(
            "AC",
            day,
            "Metro",
            ("607", "", 2400, 0),
            ("44566", "", 240, 0),
            ("401", "FMETRO", 0, 2640),
        )
        book.entry(
            "AC",
            day,
            "Boissons",
            ("607", "", 600, 0),
            ("44566", "", 120, 0),
            ("401", "FBOISS", 0, 720),
        )
        book.entry(
            "AC",
            day,
            "Electricite",
            ("6061", "", 1100, 0),
            ("44566", "", 220, 0),
            ("401", "FEDF", 0, 1320),
        )
        book.entry(
            "AC",
            day,
            "Telephone internet",
            ("626", "", 85, 0),
            ("44566", "", 17, 0),
            ("401", "FORANGE", 0, 102),
        )
        book.entry("BQ", day, "Frais bancaires", ("627", "", 35, 0), ("512", "", 0, 35))
        book.entry(
            "OD",
            f"2025{month:02d}28",
            "Salaires",
            ("641", "", 14000, 0),
            ("431", "", 0, 3000),
            ("421", "", 0, 11000),
        )
        book.entry(
            "OD",
            f"2025{month:02d}28",
            "Charges sociales",
            ("645", "", 5600, 0),
            ("431", "", 0, 5600),
        )
        book.entry(
            "VE",
            f"2025{month:02d}28",
            "Nuitees",
            ("411", "CLIENTS", 55000, 0),
            ("706", "", 0, 50000),
            ("44571", "", 0, 5000),
        )
        book.entry(
            "BQ",
            f"2025{month:02d}20",
            "Reglement Metro",
            ("401", "FMETRO", 2640, 0),
            ("512", "", 0, 2640),
        )
    for month in (3, 6, 9, 12):
        book.entry(
            "AC",
            f"2025{month:02d}10",
            "Honoraires comptables",
            ("6226", "", 900, 0),
            ("44566", "", 180, 0),
            ("401", "FCOMPTA", 0, 1080),
        )
    book.entry(
        "AC", "20250115", "Assurance multirisque", ("616", "", 3200, 0), ("401", "FASSUR", 0, 3200)
    )
    book.entry(
        "AC",
        "20250620",
        "Maintenance ascenseur",
        ("615", "", 1800, 0),
        ("44566", "", 360, 0),
        ("401", "FASCEN", 0, 2160),
    )
    book.entry(
        "AC",
        "20250410",
        "Ordinateurs reception",
        ("2183", "", 2500, 0),
        ("44562", "", 500, 0),
        ("404", "FINFO", 0, 3000),
    )
    book.entry(
        "AC",
        "20250708",
        "Avoir Metro",
        ("401", "FMETRO", 330, 0),
        ("607", "", 0, 300),
        ("44566", "", 0, 30),
    )
    book.entry(
        "AC",
        "20251220",
        "Ristourne annuelle Metro",
        ("401", "FMETRO", 165, 0),
        ("6097", "", 0, 150),
        ("44566", "", 0, 15),
    )
    book.entry("AC", "20250512", "Train salon Lyon", ("6251", "", 420, 0), ("401", "FSNCF", 0, 420))
    book.entry(
        "AC", "20250918", "Frais de port Metro", ("6081", "", 80, 0), ("401", "FMETRO", 0, 80)
    )
    book.entry("OD", "20251231", "Variation de stock", ("6037", "", 1200, 0), ("37", "", 0, 1200))
    book.entry("OD", "20251015", "CFE", ("635", "", 2100, 0), ("447", "", 0, 2100))
    book.entry("OD", "20251231", "Amortissements", ("6811", "", 9000, 0), ("2813", "", 0, 9000))
    return "\r\n".join(book.rows) + "\r\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("123456782FEC20251231.txt")
    target.write_text(build(), encoding="iso-8859-15")
    print(f"wrote {target} ({len(build().splitlines()) - 1} entries)")
