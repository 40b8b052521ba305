"""关联分析 correlation analysis: the graph of companies, persons, phones, e-mails, accounts, devices,
IPs and addresses built from the lake, with neighbourhoods, shortest paths and co-bidding groups."""
