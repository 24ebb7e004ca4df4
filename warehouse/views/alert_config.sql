-- The alert thresholds of the alert_settings table as one row (edit them there: UPDATE alert_settings
-- SET value = 8 WHERE key = 'min_volume'), and the alert rule that pain_point_weekly and stage_weekly
-- both apply: one place to read or change it. This file sorts before theirs, so both exist first.
CREATE OR REPLACE VIEW alert_config AS
SELECT
    max(value) FILTER (WHERE key = 'baseline_weeks')     AS baseline_weeks,
    max(value) FILTER (WHERE key = 'min_baseline_weeks') AS min_baseline_weeks,
    max(value) FILTER (WHERE key = 'min_volume')         AS min_volume,
    max(value) FILTER (WHERE key = 'spike_z')            AS spike_z,
    max(value) FILTER (WHERE key = 'spike_ratio')        AS spike_ratio,
    max(value) FILTER (WHERE key = 'trend_weeks')        AS trend_weeks,
    max(value) FILTER (WHERE key = 'trend_slope')        AS trend_slope,
    max(value) FILTER (WHERE key = 'trend_r2')           AS trend_r2
FROM alert_settings;

-- alert_flag(x, cfg): 'new' / 'spike' / 'growing' / 'declining' or NULL for one weekly row x (volume,
-- baseline_weeks, baseline_mean, z_score, trend_n, trend_slope, trend_r2, trend_mean) under cfg, a row
-- of alert_config. Called as alert_flag(x, cfg) FROM ... AS x CROSS JOIN alert_config AS cfg.
CREATE OR REPLACE MACRO alert_flag(x, cfg) AS
    CASE
        WHEN x.baseline_weeks < cfg.min_baseline_weeks THEN NULL
        WHEN x.volume >= cfg.min_volume AND x.baseline_mean = 0 THEN 'new'
        WHEN x.volume >= cfg.min_volume AND x.z_score >= cfg.spike_z
             AND x.volume >= cfg.spike_ratio * x.baseline_mean THEN 'spike'
        WHEN x.trend_n >= cfg.trend_weeks AND x.trend_r2 >= cfg.trend_r2 AND x.volume >= cfg.min_volume
             AND x.trend_slope >= cfg.trend_slope * x.trend_mean THEN 'growing'
        WHEN x.trend_n >= cfg.trend_weeks AND x.trend_r2 >= cfg.trend_r2
             AND x.baseline_mean >= cfg.min_volume
             AND x.trend_slope <= -cfg.trend_slope * x.trend_mean THEN 'declining'
    END;
