-- Customer satisfaction per ISO week and source, scores 1-5: satisfied 4-5, neutral 3, dissatisfied 1-2,
-- csat = 100 * satisfied / responses (the share of 4s and 5s, in percent).
CREATE OR REPLACE VIEW csat_weekly AS
SELECT
    date_trunc('week', created_at)::DATE                            AS week,
    strftime(date_trunc('week', created_at)::DATE, '%G-W%V')        AS iso_week,
    source,
    count(*)                                                        AS responses,
    count(*) FILTER (WHERE score >= 4)                              AS satisfied,
    count(*) FILTER (WHERE score >= 3 AND score < 4)                AS neutral,
    count(*) FILTER (WHERE score < 3)                               AS dissatisfied,
    avg(score)                                                      AS avg_score,
    100.0 * count(*) FILTER (WHERE score >= 4) / count(*)           AS csat
FROM feedback
WHERE score_type = 'csat' AND score IS NOT NULL
GROUP BY ALL
ORDER BY week, source;
