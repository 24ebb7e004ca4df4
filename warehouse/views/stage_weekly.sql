-- Clauses per journey stage and ISO week: how often a stage is mentioned and how negatively.
-- mentions = clauses tagged with the stage; negative_docs = feedback items with a negative clause there.
CREATE OR REPLACE VIEW stage_weekly AS
SELECT
    date_trunc('week', f.created_at)::DATE                          AS week,
    strftime(date_trunc('week', f.created_at)::DATE, '%G-W%V')      AS iso_week,
    c.stage,
    coalesce(s.label, c.stage)                                      AS stage_label,
    s.position                                                      AS stage_position,
    count(*)                                                        AS mentions,
    count(*) FILTER (WHERE c.label = 'negative')                    AS negative_mentions,
    count(DISTINCT c.feedback_id) FILTER (WHERE c.label = 'negative') AS negative_docs,
    avg(c.sentiment)                                                AS avg_sentiment,
    count(*) FILTER (WHERE c.label = 'negative') / count(*)         AS negative_share
FROM clauses AS c
JOIN feedback AS f ON f.id = c.feedback_id
LEFT JOIN stages AS s ON s.key = c.stage
WHERE c.stage IS NOT NULL
GROUP BY ALL
ORDER BY week, stage_position NULLS LAST, c.stage;
