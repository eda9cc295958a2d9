-- Completed courses straight into the maintenance read model, due dates spread over two years around today, the course
-- n of client n (the ids of bench/seed-clients.sql).  psql -v courses=N -v clinic=ID -f bench/seed-maintenance.sql
insert into courses.mt_doc_maintenancedue (tenant_id, id, data, mt_dotnet_type, due_on)
select :'clinic', md5('course' || n)::uuid, jsonb_build_object('id', md5('course' || n)::uuid, 'clientId', md5('client' || n)::uuid,
       'dueOn', to_char(due, 'YYYY-MM-DD'), 'lastSessionOn', to_char(due - interval '6 months', 'YYYY-MM-DD')),
       'Courses.Projections.Courses.MaintenanceDue', due
from (select n, (current_date - 365 + (n % 730))::date as due from generate_series(1, :courses) n) c;
vacuum analyze courses.mt_doc_maintenancedue;
