SELECT s.id         AS reference,
       s.seller_id  AS member_id,
       p.name       AS member_name,
       p.team       AS team_name,
       s.created_at AS date,
       s.amount, s.currency
FROM sales s JOIN sellers p ON p.id = s.seller_id
WHERE s.created_at >= {{ last_update_time }} AND s.created_at < {{ upper_date_limit }}
ORDER BY s.created_at
