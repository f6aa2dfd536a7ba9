"""The numeric-expression scanner read against real phrases.

Azerbaijani phrases are copied from the five articles in data/raw/articles/ (every numeric
expression of their bodies); Russian and English phrases are the newsroom forms the same figures
take in other outlets. Each case states the span the scanner must report and its reading.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from etl.numbers import Mention, scan

ARTICLES = sorted((Path(__file__).resolve().parents[1] / "data" / "raw" / "articles").glob("*.txt"))

# (phrase, span text, value, value_high, unit, qualifier, per, kind)
AZ_ARTICLES = [
    # 000 Qafarov
    ("Azərbaycanda Qazaxıstan kapitalı ilə fəaliyyət göstərən 250-dən artıq kommersiya "
     "strukturu", "250-dən artıq", 250, None, "count", "more_than", None, "quantity"),
    ("daşımaların həcmi 2024-cü ildə 3,5 milyon tonu keçmişdir",
     "3,5 milyon tonu keçmişdir", 3_500_000, None, "t", "more_than", None, "quantity"),
    ("daşımaların həcmi 2024-cü ildə 3,5 milyon tonu keçmişdir",
     "2024-cü ildə", 2024, None, None, "exact", None, "year"),
    ("2022-ci ildə imzalanmış", "2022-ci ildə", 2022, None, None, "exact", None, "year"),
    ('"2022-2027-ci illər üçün Yol Xəritəsi"', "2022-2027-ci illər", 2022, 2027, None, "range",
     None, "year"),
    ("Aktau-Ceyhan marşrutu üzrə ildə 1,5 milyon ton neftin tranziti",
     "ildə 1,5 milyon ton", 1_500_000, None, "t", "exact", "year", "quantity"),
    ("Azərbaycan Qazaxıstanın regiondakı on ən böyük ticarət tərəfdaşından biri", "on", 10,
     None, "count", "exact", None, "quantity"),
    # 001 press service
    ("Son ilyarım ərzində Prezident İlham Əliyev Qazaxıstana dörd dəfə səfər etmiş", "ilyarım",
     1.5, None, "years", "exact", None, "quantity"),
    ("Prezident İlham Əliyev Qazaxıstana dörd dəfə səfər etmiş", "dörd dəfə", 4, None, "count",
     "exact", None, "quantity"),
    ("Qazaxıstan Prezidenti üç dəfə ölkəmizdə olmuşdur", "üç dəfə", 3, None, "count", "exact",
     None, "quantity"),
    ("Azərbaycanla Qazaxıstan arasında 150-yə yaxın sənəd imzalanıb", "150-yə yaxın", 150, None,
     "count", "approx", None, "quantity"),
    ("təkcə 1 il 6 ay ərzində 40-a yaxın mühüm ikitərəfli sənəd", "1 il 6 ay", 1.5, None,
     "years", "exact", None, "quantity"),
    ("təkcə 1 il 6 ay ərzində 40-a yaxın mühüm ikitərəfli sənəd", "40-a yaxın", 40, None,
     "count", "approx", None, "quantity"),
    ("(2004-cü il 1 mart, Astana)", "2004-cü il 1 mart", None, None, None, "exact", None,
     "date"),
    ("(2005-ci il 24 may, Bakı)", "2005-ci il 24 may", None, None, None, "exact", None, "date"),
    ("(2022-ci il 24 avqust, Bakı)", "2022-ci il 24 avqust", None, None, None, "exact", None,
     "date"),
    ("1999-cu ildə yaradılmış Ticari-İqtisadi Əməkdaşlıq üzrə Birgə Hökumətlərarası Komissiya",
     "1999-cu ildə", 1999, None, None, "exact", None, "year"),
    ("Komissiyanın indiyədək 20 iclası keçirilib.", "20", 20, None, "count", "exact", None,
     "quantity"),
    ("Ölkəmizdə Qazaxıstan investisiyalı 182 kommersiya qurumu (sənaye, kənd təsərrüfatı)",
     "182", 182, None, "count", "exact", None, "quantity"),
    ("Qazaxıstandan Azərbaycana 102,2 milyon dollar, Azərbaycandan Qazaxıstana isə",
     "102,2 milyon dollar", 102_200_000, None, "USD", "exact", None, "quantity"),
    ("Azərbaycandan Qazaxıstana isə 205,2 milyon dollar investisiya qoyulub.",
     "205,2 milyon dollar", 205_200_000, None, "USD", "exact", None, "quantity"),
    ("Ötən il ölkələrimiz arasında ticarət dövriyyəsi 598,47 milyon dollar təşkil edib.",
     "598,47 milyon dollar", 598_470_000, None, "USD", "exact", None, "quantity"),
    # 002 Icma.az (body and page chrome)
    ("2005-ci ildən “Strateji Tərəfdaşlıq və Müttəfiqlik” sazişi mövcuddur", "2005-ci ildən",
     2005, None, None, "exact", None, "year"),
    ("archiveBu xəbər 21 Oktyabr 2025 19:44 mənbədən arxivləşdirilmişdir", "21 Oktyabr 2025",
     None, None, None, "exact", None, "date"),
    ("archiveBu xəbər 21 Oktyabr 2025 19:44 mənbədən arxivləşdirilmişdir", "19:44", None, None,
     None, "exact", None, "time"),
    ("20 Yanvar 2026 02:17see266", "20 Yanvar 2026", None, None, None, "exact", None, "date"),
    ("vətəndaş səkkiz gün sonra problemlə üzləşdi", "səkkiz gün", 8, None, None, "exact", None,
     "quantity"),
    ("Faciənin 36 cı ildönümü...", "36 cı", 36, None, None, "exact", None, "quantity"),
    ("ABŞ də zəncirvari qəza: 100 dən çox maşın toqquşdu", "100 dən çox", 100, None, "count",
     "more_than", None, "quantity"),
    ("Həbib MMA nın sirlərinə 32 yaşından sonra vaqif olmağa", "32 yaşından", 32, None, "years",
     "exact", None, "quantity"),
    ("Prezident telefonda 8 dəqiqə gözləyib", "8 dəqiqə", 8, None, None, "exact", None,
     "quantity"),
    ("Barselona 18 yaşlı futbolçusunu 10 milyondan ucuz satmayacaq", "10 milyondan", 10_000_000,
     None, None, "exact", None, "quantity"),
    ("Barselona 18 yaşlı futbolçusunu 10 milyondan ucuz satmayacaq", "18 yaşlı", 18, None,
     "years", "exact", None, "quantity"),
    ("seeBaxış sayı:113", "113", 113, None, None, "exact", None, "quantity"),
    # 003 Report.az
    ("- 29 dekabr, 2025\n- 15:59", "29 dekabr, 2025", None, None, None, "exact", None, "date"),
    ("- 29 dekabr, 2025\n- 15:59", "15:59", None, None, None, "exact", None, "time"),
    ("2026-cı ilin sonuna qədər Xəzər dənizinin dibi ilə", "2026-cı ilin", 2026, None, None,
     "exact", None, "year"),
    ("Fikrimcə, 2026-cı ildə Azərbaycan-Qazaxıstan əməkdaşlığının", "2026-cı ildə", 2026, None,
     None, "exact", None, "year"),
    # 004 Day.Az / Trend
    (" date 2025-10-18 Azərbaycan və Qazaxıstan", "2025-10-18", None, None, None, "exact", None,
     "date"),
    ("otuz ildən artıq mövcud olan diplomatik əlaqələr", "otuz ildən artıq", 30, None, "years",
     "more_than", None, "quantity"),
    ("2021-2025-ci illərin hesablamalarına görə", "2021-2025-ci illərin", 2021, 2025, None,
     "range", None, "year"),
    ("burada təxminən 155 min nəfər yaşayır", "təxminən 155 min nəfər", 155_000, None,
     "persons", "approx", None, "quantity"),
    ("ticarət dövriyyəsi 331,7 milyon dollar təşkil edib", "331,7 milyon dollar", 331_700_000,
     None, "USD", "exact", None, "quantity"),
    ("2024-cü ilin eyni dövrü ilə müqayisədə təxminən 40% çoxdur", "təxminən 40%", 40, None,
     "percent", "approx", None, "quantity"),
    ("2024-cü ilin eyni dövrü ilə müqayisədə təxminən 40% çoxdur", "2024-cü ilin", 2024, None,
     None, "exact", None, "year"),
    ("Bunun 281,6 milyon dolları Qazaxıstanın ixracı", "281,6 milyon dolları", 281_600_000,
     None, "USD", "exact", None, "quantity"),
    ("təxminən 50 milyon dolları isə idxalını təşkil edib", "təxminən 50 milyon dolları",
     50_000_000, None, "USD", "approx", None, "quantity"),
    ("2025-ci ilin yanvar-iyul aylarında təxminən 5 dəfə artaraq 448 milyon dollara çatıb",
     "təxminən 5 dəfə", 5, None, "times", "approx", None, "quantity"),
    ("2025-ci ilin yanvar-iyul aylarında təxminən 5 dəfə artaraq 448 milyon dollara çatıb",
     "448 milyon dollara", 448_000_000, None, "USD", "exact", None, "quantity"),
    ("2025-ci ilin yanvar-iyul aylarında təxminən 5 dəfə artaraq 448 milyon dollara çatıb",
     "2025-ci ilin yanvar-iyul aylarında", None, None, None, "exact", None, "date"),
    ("ticarət dövriyyəsini 1 milyard dollara çatdırmaqdır", "1 milyard dollara", 1_000_000_000,
     None, "USD", "exact", None, "quantity"),
    ("tranzit yüklərin həcmi 2029-cu ilədək təxminən 5 dəfə artaraq 1 milyon tona çatacaq",
     "2029-cu ilədək", 2029, None, None, "up_to", None, "year"),
    ("tranzit yüklərin həcmi 2029-cu ilədək təxminən 5 dəfə artaraq 1 milyon tona çatacaq",
     "1 milyon tona", 1_000_000, None, "t", "exact", None, "quantity"),
    ("Həlledici mərhələ 2022-ci ildə Strateji Əlaqələrin", "2022-ci ildə", 2022, None, None,
     "exact", None, "year"),
    ("Son bir il yarım ərzində təxminən 40 iki tərəfli sənəd imzalanıb", "bir il yarım", 1.5,
     None, "years", "exact", None, "quantity"),
    ("Son bir il yarım ərzində təxminən 40 iki tərəfli sənəd imzalanıb", "təxminən 40", 40,
     None, "count", "approx", None, "quantity"),
]

AZ_MORE = [
    ("4 milyon 625 min ton", "4 milyon 625 min ton", 4_625_000, None, "t", "exact", None,
     "quantity"),
    ("6-6,5 milyon ton", "6-6,5 milyon ton", 6_000_000, 6_500_000, "t", "range", None,
     "quantity"),
    ("iki yüz əlli min ton", "iki yüz əlli min ton", 250_000, None, "t", "exact", None,
     "quantity"),
    ("idxal 2 dəfədən çox artıb", "2 dəfədən çox", 2, None, "times", "more_than", None,
     "quantity"),
    ("10 milyon tona qədər", "10 milyon tona qədər", 10_000_000, None, "t", "up_to", None,
     "quantity"),
    ("100-dən az şirkət", "100-dən az", 100, None, "count", "less_than", None, "quantity"),
    ("ən azı 5 milyon manat", "ən azı 5 milyon manat", 5_000_000, None, "AZN", "at_least",
     None, "quantity"),
    ("1 768 km-lik xətt", "1 768 km-lik", 1768, None, "km", "exact", None, "quantity"),
    ("1\u00a0768\u00a0km", "1\u00a0768\u00a0km", 1768, None, "km", "exact", None, "quantity"),
    ("4\u202f625\u202f000 ton", "4\u202f625\u202f000 ton", 4_625_000, None, "t", "exact", None,
     "quantity"),
    ("500 milyon ABŞ dolları", "500 milyon ABŞ dolları", 500_000_000, None, "USD", "exact",
     None, "quantity"),
    ("30 faiz artım", "30 faiz", 30, None, "percent", "exact", None, "quantity"),
    ("40%-dən çox", "40%-dən çox", 40, None, "percent", "more_than", None, "quantity"),
    ("1,2 milyard manatlıq layihə", "1,2 milyard manatlıq", 1_200_000_000, None, "AZN", "exact",
     None, "quantity"),
    ("3 mln tenge", "3 mln tenge", 3_000_000, None, "KZT", "exact", None, "quantity"),
    ("5 milyon avro", "5 milyon avro", 5_000_000, None, "EUR", "exact", None, "quantity"),
    # "min" is a scale in Azerbaijani text, a minute in English text: the context decides
    ("Limanın gücü 50 min TEU təşkil edir", "50 min TEU", 50_000, None, "TEU", "exact", None,
     "quantity"),
    ("təqribən 1,5 milyon nəfər", "təqribən 1,5 milyon nəfər", 1_500_000, None, "persons",
     "approx", None, "quantity"),
    ("yük 3 dəfə azalıb", "3 dəfə", 3, None, "times", "exact", None, "quantity"),
    ("5 qat artım", "5 qat", 5, None, "times", "exact", None, "quantity"),
    ("20-ci iclas", "20-ci", 20, None, None, "exact", None, "quantity"),
    ("2024-cü ilin mart ayında", "2024-cü ilin mart ayında", None, None, None, "exact", None,
     "date"),
    ("on il ərzində", "on il", 10, None, "years", "exact", None, "quantity"),
    ("hər il 2 milyon ton", "hər il 2 milyon ton", 2_000_000, None, "t", "exact", "year",
     "quantity"),
    ("6 ay", "6 ay", 0.5, None, "years", "exact", None, "quantity"),
    ("20-dək ölkə", "20-dək", 20, None, "count", "up_to", None, "quantity"),
    ("10 milyon tonadək", "10 milyon tonadək", 10_000_000, None, "t", "up_to", None,
     "quantity"),
    ("bir yarım dəfə artıb", "bir yarım dəfə", 1.5, None, "times", "exact", None, "quantity"),
    ("yarım milyon ton", "yarım milyon ton", 500_000, None, "t", "exact", None, "quantity"),
    ("ticarət balansı -50 milyon dollar olub", "-50 milyon dollar", -50_000_000, None, "USD",
     "exact", None, "quantity"),
    ("40%-ə qədər", "40%-ə qədər", 40, None, "percent", "up_to", None, "quantity"),
    ("2022 – 2027-ci illər", "2022 – 2027-ci illər", 2022, 2027, None, "range", None, "year"),
    ("1990-cı illərdə", "1990-cı illərdə", 1990, None, None, "exact", None, "year"),
    ("598,47\u00a0milyon\u00a0dollar", "598,47\u00a0milyon\u00a0dollar", 598_470_000, None,
     "USD", "exact", None, "quantity"),
    ("598,47\u200bmilyon dollar", "598,47\u200bmilyon dollar", 598_470_000, None, "USD",
     "exact", None, "quantity"),
    ("\ufeff5 ton", "5 ton", 5, None, "t", "exact", None, "quantity"),
    ("5 milyonluq layihə", "5 milyonluq", 5_000_000, None, None, "exact", None, "quantity"),
    ("Faciənin 36-cı ildönümü", "36-cı", 36, None, None, "exact", None, "quantity"),
    ("₼5 milyon", "₼5 milyon", 5_000_000, None, "AZN", "exact", None, "quantity"),
    ("5 milyon ₼", "5 milyon ₼", 5_000_000, None, "AZN", "exact", None, "quantity"),
    ("150 tonluq yük", "150 tonluq", 150, None, "t", "exact", None, "quantity"),
    ("iki yüz nəfər", "iki yüz nəfər", 200, None, "persons", "exact", None, "quantity"),
    ("ALTI AY ƏRZİNDƏ", "ALTI AY", 0.5, None, "years", "exact", None, "quantity"),
    ("İKİ DƏFƏ ARTIB", "İKİ DƏFƏ", 2, None, "times", "exact", None, "quantity"),
    ("40-50% artım", "40-50%", 40, 50, "percent", "range", None, "quantity"),
    ("50-60 min nəfər", "50-60 min nəfər", 50_000, 60_000, "persons", "range", None,
     "quantity"),
    # a case suffix on four digits: a year, unless a quantity qualifier goes with it
    ("2024-dən bəri", "2024-dən", 2024, None, None, "exact", None, "year"),
    ("2024-ə qədər", "2024-ə qədər", 2024, None, None, "up_to", None, "year"),
    ("2000-dən artıq şirkət", "2000-dən artıq", 2000, None, "count", "more_than", None,
     "quantity"),
    ("2000 nəfər", "2000 nəfər", 2000, None, "persons", "exact", None, "quantity"),
    ("2026-cı ilə qədər", "2026-cı ilə qədər", 2026, None, None, "up_to", None, "year"),
    ("2004-cü ilin 1 martında imzalanıb", "2004-cü ilin 1 martında", None, None, None, "exact",
     None, "date"),
    ("ayda 100 min ton yük", "ayda 100 min ton", 100_000, None, "t", "exact", "month",
     "quantity"),
]

RU = [
    ("товарооборот составил 598,5 млн долларов", "598,5 млн долларов", 598_500_000, None, "USD",
     "exact", None, "quantity"),
    ("около 4,5 млн тонн", "около 4,5 млн тонн", 4_500_000, None, "t", "approx", None,
     "quantity"),
    ("импорт вырос в 5 раз", "5 раз", 5, None, "times", "exact", None, "quantity"),
    ("в 5 раз", "5 раз", 5, None, "times", "exact", None, "quantity"),
    ("свыше 250 компаний", "свыше 250", 250, None, "count", "more_than", None, "quantity"),
    ("от 5 до 7 млн тонн", "от 5 до 7 млн тонн", 5_000_000, 7_000_000, "t", "range", None,
     "quantity"),
    ("не менее 10 млн тонн", "не менее 10 млн тонн", 10_000_000, None, "t", "at_least", None,
     "quantity"),
    ("3 млн т в год", "3 млн т в год", 3_000_000, None, "t", "exact", "year", "quantity"),
    ("15 тыс. тонн", "15 тыс. тонн", 15_000, None, "t", "exact", None, "quantity"),
    ("1,5 млн человек", "1,5 млн человек", 1_500_000, None, "persons", "exact", None,
     "quantity"),
    ("1 000 тенге", "1 000 тенге", 1000, None, "KZT", "exact", None, "quantity"),
    ("50 000 ДФЭ", "50 000 ДФЭ", 50_000, None, "TEU", "exact", None, "quantity"),
    ("рост на 40 процентов", "40 процентов", 40, None, "percent", "exact", None, "quantity"),
    ("примерно 2 млрд долл. США", "примерно 2 млрд долл. США", 2_000_000_000, None, "USD",
     "approx", None, "quantity"),
    ("более тридцати лет", "более тридцати лет", 30, None, "years", "more_than", None,
     "quantity"),
    ("5 марта 2024 года", "5 марта 2024 года", None, None, None, "exact", None, "date"),
    ("в 2024 году", "2024 году", 2024, None, None, "exact", None, "year"),
    ("до 2030 года", "до 2030 года", 2030, None, None, "up_to", None, "year"),
    ("в марте 2024 года", "марте 2024 года", None, None, None, "exact", None, "date"),
    ("пять тысяч тонн", "пять тысяч тонн", 5000, None, "t", "exact", None, "quantity"),
    ("в полтора раза больше", "полтора раза", 1.5, None, "times", "exact", None, "quantity"),
    ("в два раза", "два раза", 2, None, "times", "exact", None, "quantity"),
    ("в 1,5–2 раза", "1,5–2 раза", 1.5, 2, "times", "range", None, "quantity"),
    ("был там 5 раз", "5 раз", 5, None, "count", "exact", None, "quantity"),
    ("сальдо −3,2%", "−3,2%", -3.2, None, "percent", "exact", None, "quantity"),
    # after a growth verb "до" means "to", not "up to"
    ("импорт вырос в 5 раз до 448 млн долларов", "448 млн долларов", 448_000_000, None, "USD",
     "exact", None, "quantity"),
    ("1,5 млн тонн нефти в год", "1,5 млн тонн нефти в год", 1_500_000, None, "t", "exact",
     "year", "quantity"),
    ("около 155 тыс. азербайджанцев", "около 155 тыс.", 155_000, None, "count", "approx", None,
     "quantity"),
    ("за 7 месяцев 2025 года", "2025 года", 2025, None, None, "exact", None, "year"),
]

EN = [
    ("more than 3.5 million tonnes", "more than 3.5 million tonnes", 3_500_000, None, "t",
     "more_than", None, "quantity"),
    ("200,000 tons of grain", "200,000 tons", 200_000, None, "t", "exact", None, "quantity"),
    ("imports grew 3.1 times", "3.1 times", 3.1, None, "times", "exact", None, "quantity"),
    ("3.1 times", "3.1 times", 3.1, None, "times", "exact", None, "quantity"),
    ("the 1 768 km line", "1 768 km", 1768, None, "km", "exact", None, "quantity"),
    ("up to 10 million tonnes a year", "up to 10 million tonnes a year", 10_000_000, None, "t",
     "up_to", "year", "quantity"),
    ("6–7 million tonnes", "6–7 million tonnes", 6_000_000, 7_000_000, "t", "range", None,
     "quantity"),
    ("1,234,567 passengers", "1,234,567", 1_234_567, None, "count", "exact", None, "quantity"),
    ("$5.2 billion", "$5.2 billion", 5_200_000_000, None, "USD", "exact", None, "quantity"),
    ("€3bn", "€3bn", 3_000_000_000, None, "EUR", "exact", None, "quantity"),
    ("USD 400 million", "USD 400 million", 400_000_000, None, "USD", "exact", None,
     "quantity"),
    ("about 1,500 people", "about 1,500 people", 1500, None, "persons", "approx", None,
     "quantity"),
    ("at least 10 people", "at least 10 people", 10, None, "persons", "at_least", None,
     "quantity"),
    ("less than 5%", "less than 5%", 5, None, "percent", "less_than", None, "quantity"),
    ("500 tonne-km", "500 tonne-km", 500, None, "t_km", "exact", None, "quantity"),
    ("visited three times", "three times", 3, None, "count", "exact", None, "quantity"),
    ("three times more", "three times", 3, None, "times", "exact", None, "quantity"),
    ("March 5, 2024", "March 5, 2024", None, None, None, "exact", None, "date"),
    ("2025-10-21", "2025-10-21", None, None, None, "exact", None, "date"),
    ("the 2024-25 season", "2024-25", 2024, 2025, None, "range", None, "year"),
    ("over 250 companies", "over 250", 250, None, "count", "more_than", None, "quantity"),
    ("The 20th meeting", "20th", 20, None, None, "exact", None, "quantity"),
    ("12.5% annually", "12.5% annually", 12.5, None, "percent", "exact", "year", "quantity"),
    ("transit of 1.5 million tonnes of oil a year", "1.5 million tonnes of oil a year",
     1_500_000, None, "t", "exact", "year", "quantity"),
    ("will increase about fivefold by 2029", "about fivefold", 5, None, "times", "approx", None,
     "quantity"),
    ("will increase 5-fold", "5-fold", 5, None, "times", "exact", None, "quantity"),
    ("amounted to $598.47 million last year", "$598.47 million", 598_470_000, None, "USD",
     "exact", None, "quantity"),
    ("established on August 30, 1992.", "August 30, 1992", None, None, None, "exact", None,
     "date"),
    ("Some 150 documents", "Some 150", 150, None, "count", "approx", None, "quantity"),
    ("5 million US dollars", "5 million US dollars", 5_000_000, None, "USD", "exact", None,
     "quantity"),
    ("KZT 2.5 billion", "KZT 2.5 billion", 2_500_000_000, None, "KZT", "exact", None,
     "quantity"),
    ("US$1bn", "US$1bn", 1_000_000_000, None, "USD", "exact", None, "quantity"),
    ("twenty years", "twenty years", 20, None, "years", "exact", None, "quantity"),
    ("by 2.5-3%", "2.5-3%", 2.5, 3, "percent", "range", None, "quantity"),
    ("2025-10-21T19:44:00Z", "2025-10-21T19:44:00", None, None, None, "exact", None, "date"),
]

DATES = {  # span text -> ISO date (or None when the text names no year)
    "2004-cü il 1 mart": "2004-03-01",
    "2005-ci il 24 may": "2005-05-24",
    "2022-ci il 24 avqust": "2022-08-24",
    "21 Oktyabr 2025": "2025-10-21",
    "20 Yanvar 2026": "2026-01-20",
    "29 dekabr, 2025": "2025-12-29",
    "2025-10-18": "2025-10-18",
    "2025-10-21": "2025-10-21",
    "5 марта 2024 года": "2024-03-05",
    "March 5, 2024": "2024-03-05",
    "August 30, 1992": "1992-08-30",
    "марте 2024 года": "2024-03",
    "2024-cü ilin mart ayında": "2024-03",
    "2004-cü ilin 1 martında": "2004-03-01",
    "2025-ci ilin yanvar-iyul aylarında": "2025-01/2025-07",
}


def _find(phrase: str, span: str) -> Mention:
    found = scan(phrase)
    for m in found:
        assert phrase[m.start:m.end] == m.text
    hits = [m for m in found if m.text == span]
    assert hits, f"{span!r} not reported in {phrase!r}; got {[m.text for m in found]}"
    return hits[0]


@pytest.mark.parametrize(
    ("phrase", "span", "value", "high", "unit", "qualifier", "per", "kind"),
    AZ_ARTICLES + AZ_MORE + RU + EN)
def test_reads_phrase(phrase, span, value, high, unit, qualifier, per, kind):
    m = _find(phrase, span)
    got = (m.value, m.value_high, m.unit, m.qualifier, m.per, m.kind)
    want = (None if value is None else pytest.approx(value, rel=1e-12),
            None if high is None else pytest.approx(high, rel=1e-12), unit, qualifier, per, kind)
    assert got == want


@pytest.mark.parametrize(("span", "iso"), DATES.items())
def test_date_iso(span, iso):
    phrases = [p for p, s, *_ in AZ_ARTICLES + AZ_MORE + RU + EN if s == span] or [span]
    assert _find(phrases[0], span).date == iso


@pytest.mark.parametrize("phrase", [
    "bir çox ölkələr arasında körpüdür",
    "daha bir simvoluna çevriləcəyini deyib",
    "İki ölkə arasında əməkdaşlıq",
    "Hər iki ölkə TDT çərçivəsində",
    "iki ölkə arasında münasibətlər",
    "Onun sözlərinə görə",
    "prioritetlərindən biri xalqlarımız",
    "Bakıdakı \"Bakutel\" sərgisi",
    "İlk cavab verən siz olun",
    "Bir gecədə adı dəyişdirilən",
    "Qanuna bir sıra dəyişikliklər",
    "one of the largest partners",
    "один из крупнейших партнёров",
    "Заметили ошибку в тексте? Выберите текст и сообщите нам, нажав Ctrl + Enter",
    "COVID-19 pandemiyası",
    "seeBaxış sayı",
])
def test_word_numerals_and_identifiers_not_reported(phrase):
    assert scan(phrase) == []


def test_ordinal_and_suffix_spans_are_whole_words():
    # "2024-cü" never yields a stray "cü"; "tonu" is inside the span with its suffix
    text = "həcmi 2024-cü ildə 3,5 milyon tonu keçmişdir, bu isə"
    assert [m.text for m in scan(text)] == ["2024-cü ildə", "3,5 milyon tonu keçmişdir"]


@pytest.mark.parametrize(("phrase", "value"), [
    ("598,47", 598.47), ("3.1", 3.1), ("200,000 tons", 200_000), ("0,500 ton", 0.5),
    ("1.234.567 manat", 1_234_567), ("1.234,5 manat", 1234.5), ("1,234.5 tons", 1234.5),
    # in Azerbaijani text a comma before three digits is still a decimal comma
    ("dövriyyə 598,470 milyon dollar təşkil edib", 598_470_000),
    ("it took 5 min", 5),
])
def test_decimal_and_thousands_separators(phrase, value):
    assert scan(phrase)[0].value == pytest.approx(value)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name[:3])
def test_whole_article_offsets(article):
    text = article.read_text(encoding="utf-8")
    found = scan(text)
    assert found, "every article states at least one number"
    for a, b in pairwise(found):
        assert a.end <= b.start, f"{a.text!r} overlaps {b.text!r}"
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.text == m.text.strip()
        assert m.kind in ("quantity", "year", "date", "time")


# Every expression of two article bodies, read off the articles by hand: nothing more (no word
# numeral used as an article or pronoun), nothing less.
ALL_TEXTS = {
    "001": ["ilyarım", "dörd dəfə", "üç dəfə", "150-yə yaxın", "1 il 6 ay", "40-a yaxın",
            "2004-cü il 1 mart", "2005-ci il 24 may", "2022-ci il 24 avqust", "1999-cu ildə",
            "20", "182", "102,2 milyon dollar", "205,2 milyon dollar", "598,47 milyon dollar"],
    "004": ["2025-10-18", "otuz ildən artıq", "2021-2025-ci illərin", "təxminən 155 min nəfər",
            "2025-ci ilin", "331,7 milyon dollar", "2024-cü ilin", "təxminən 40%",
            "281,6 milyon dolları", "təxminən 50 milyon dolları",
            "2025-ci ilin yanvar-iyul aylarında", "təxminən 5 dəfə", "448 milyon dollara", "on",
            "1 milyard dollara", "2029-cu ilədək", "təxminən 5 dəfə", "1 milyon tona",
            "2022-ci ildə", "bir il yarım", "təxminən 40"],
}


@pytest.mark.parametrize("prefix", ALL_TEXTS)
def test_every_expression_of_an_article(prefix):
    path = next(p for p in ARTICLES if p.name.startswith(prefix))
    assert [m.text for m in scan(path.read_text(encoding="utf-8"))] == ALL_TEXTS[prefix]


KEY_FIGURES = [  # (article prefix, number as printed, value, unit)
    ("001", "598,47", 598_470_000, "USD"),
    ("004", "331,7", 331_700_000, "USD"),
    ("004", "281,6", 281_600_000, "USD"),
    ("004", "448", 448_000_000, "USD"),
    ("001", "102,2", 102_200_000, "USD"),
    ("001", "205,2", 205_200_000, "USD"),
    ("001", "182", 182, "count"),
    ("000", "250", 250, "count"),
    ("000", "3,5", 3_500_000, "t"),
    ("000", "1,5", 1_500_000, "t"),
    ("004", "155", 155_000, "persons"),
]


@pytest.mark.parametrize(("prefix", "number", "value", "unit"), KEY_FIGURES,
                         ids=[f"{p}:{n}" for p, n, *_ in KEY_FIGURES])
def test_key_figures_found_in_articles(prefix, number, value, unit):
    path = next(p for p in ARTICLES if p.name.startswith(prefix))
    text = path.read_text(encoding="utf-8")
    at = text.index(number)
    hits = [m for m in scan(text) if m.start <= at < m.end]
    assert len(hits) == 1, f"{number!r} in {path.name}: {hits}"
    assert (hits[0].value, hits[0].unit) == (pytest.approx(value), unit)
