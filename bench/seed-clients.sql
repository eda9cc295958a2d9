-- The clients of bench/find-clients and bench/reads-ab: names, phones, emails and dates of birth, straight into the
-- profile and search read models.  psql -v clients=N -v clinic=ID -f bench/seed-clients.sql
create temporary table seed as
select n, md5('client' || n)::uuid as id,
       (array['John','Ann','Renée','Zoë','Mary','Peter','Sarah','James','Emma','Olivia','Liam','Noah','Sophie','Chloé','Lucas',
              'Hugo','Léa','Manon','Jules','Louis','Anna','Maria','José','Ana','Miguel','Lucía','Björn','Åsa','Søren','Jürgen',
              'Ingrid','Fatima','Omar','Aisha','Yusuf','Priya','Raj','Mei','Wei','Hana','Kenji','Olga','Ivan','Nina','Pavel',
              'Grace','Ella','Jack','Harry','Amelia','Isla','Oscar','Leo'])[1 + n % 53]
       || ' ' ||
       (array['Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Robinson','Wright','Thompson','Evans',
              'Walker','White','Roberts','Green','Hall','Wood','Jackson','Clarke','Dupont','Martin','Bernard','Dubois','Thomas',
              'Petit','Durand','Leroy','Moreau','Lefèvre','García','Fernández','González','Rodríguez','López','Martínez',
              'Sánchez','Pérez','Müller','Schmidt','Schneider','Fischer','Weber','Meyer','Wagner','Becker','Schulz','Hoffmann',
              'Andersson','Johansson','Karlsson','Nilsson','Eriksson','Larsson','Olsen','Hansen','Nielsen','Jensen','Kowalski',
              'Nowak','Wiśniewski','Novák','Horváth','Rossi','Russo','Ferrari','Esposito','Bianchi','Romano','Colombo','Ricci',
              'Marino','Greco','Bruno','Gallo','Conti','De Luca','Costa','Silva','Santos','Ferreira','Pereira','Oliveira',
              'Khan','Patel','Singh','Kumar','Chen','Wang'])[1 + (n / 53) % 89] as name,
       '+44 20 ' || lpad((n % 10000)::text, 4, '0') || ' ' || lpad((n / 10000)::text, 4, '0') as phone,
       'client' || n || '@example.test' as email,
       (date '1950-01-01' + (n * 7919) % 20000) as born
from generate_series(1, :clients) n;
insert into courses.mt_doc_clientprofile (tenant_id, id, data, mt_dotnet_type)
select :'clinic', id, jsonb_build_object('id', id, 'fullName', name, 'dateOfBirth', to_char(born, 'YYYY-MM-DD'), 'email', email,
       'phone', phone, 'registeredAt', '2025-01-01T09:00:00+00:00', 'activeCourses', '[]'::jsonb, 'version', 1),
       'Courses.Projections.Clients.ClientProfile'
from seed;
insert into courses.mt_doc_clientsearchentry (tenant_id, id, data, mt_dotnet_type, phone_digits, email, date_of_birth)
select :'clinic', id, jsonb_build_object('id', id, 'name', name, 'dateOfBirth', to_char(born, 'YYYY-MM-DD'), 'email', email,
       'phoneDigits', regexp_replace(phone, '\D', '', 'g')), 'Courses.Projections.Clients.ClientSearchEntry',
       regexp_replace(phone, '\D', '', 'g'), email, born
from seed;
vacuum analyze courses.mt_doc_clientsearchentry; vacuum analyze courses.mt_doc_clientprofile;
