"""The synthetic province: a Zhejiang-like market of public bidding, with planted schemes.

``generate(scale, seed, out)`` writes one UTF-8 CSV per catalogue dataset (``out/<dataset_id>.csv``,
header = the catalogue's field names, values in the catalogue's formats, every record valid and every
reference satisfied) and ``out/truth.json``. The same scale and seed give byte-identical files.

Scales (``SCALES``): ``tiny`` ≈ 1,000 bids (tests), ``small`` ≈ 30,000 bids (demo), ``province``
≥ 1,000,000 bids and ≥ 10,000,000 records (benchmark).

The honest market: 11 cities weighted by size, their counties, industries (房建市政 most), log-normal
control prices per industry, 3–15 bidders per section bidding 85–99 % of the control price, a dated
procedure (announce → documents → deadline ≥ 20 days for works → opening → candidates → award →
contract), firms with legal representatives, shareholders, officers, basic accounts, their own machines,
IPs, CA certificates and staff (certificates at the firm, social insurance paid by the firm for 36
months), projects under construction with their PMs, experts scoring every qualified bid, credit
records and a blacklist whose honest entries have expired.

``truth.json``::

    {"scale": "tiny", "seed": 1, "counts": {"bids": 1002, ...},          # records per dataset
     "schemes": [{"id": "S0001", "model": "C01", "type": "same_machine_disk",
                  "sections": ["<section_code>", ...],
                  "companies": ["<USCC>", ...],
                  "persons": ["<ID number>", ...],
                  "detail": {...}}, ...],
     "lookalikes": [{"id": "L0001", "kind": "agency_shared_ip", "resembles": ["C02"],
                     "sections": [...], "companies": [...], "persons": [...], "detail": {...}}, ...]}

``companies`` lists exactly the companies a scheme implicates: for in-section pair schemes the colluding
bidders of those sections (score by (section, company) pairs); for C15 the group, C16 the accompany
bidder, C17 the bid king, C18 the broker's clients (``persons`` = the broker), C29 and C31 the tenderer
(a public body may appear only in tender_projects.csv), C33 the blacklisted bidder. Order is kept: where
a scheme has a designated winner or favoured bidder it comes first (C11, C24, C26, C30). A scheme that
unavoidably also shows another model's signal says so in ``detail.also_matches`` (a C21 person also
fails C19; a broker also shows C06). Look-alike kinds: agency_shared_ip, common_cpu_model, virtual_mac,
tender_template_text, tender_template_rsid, default_author, corporate_group, job_changer,
round_discount_prices, state_owned_group, agency_contact_phone, guarantee_batch_numbers,
water_specialist_market; pervasive kinds (CPU model, template text and rsid, default authors) are one
entry each listing every section concerned.
"""

from tenderwatch.synth.generate import SCALES, SynthSummary, generate

__all__ = ["SCALES", "SynthSummary", "generate"]
