-- Net Promoter Score per ISO week and source: promoters 9-10, passives 7-8, detractors 0-6,
-- nps = 100 * (promoters - detractors) / responses, from -100 to 100.
CREATE OR REPLACE VIEW nps_weekly AS
SELECT
    date_trunc('week', created_at)::DATE                            AS week,
    strftime(date_trunc('week', created_at)::DATE, '%G-W%V')        AS iso_week,
    source,
    count(*)                                                        AS responses,
    count(*) FILTER (WHERE score >= 9)                              AS promoters,
    count(*) FILTER (WHERE score >= 7 AND score < 9)                AS passives,
    count(*) FILTER (WHERE score < 7)                               AS detractors,
    100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score < 7)) / count(*) AS nps
FROM feedback
WHERE score_type = 'nps' AND score IS NOT NULL
GROUP BY ALL
ORDER BY week, source;
