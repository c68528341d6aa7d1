"""Word lists for the fictional demo network. Every school, district and person is invented."""

SCHOOL_NAMES = [
    "Cesar Chavez", "Dolores Huerta", "Maya Angelou", "Frederick Douglass", "Harriet Tubman", "Rosa Parks",
    "Sequoia", "Redwood", "Bayside", "Hillcrest", "Lakeview", "Oak Grove", "Willow Creek", "Sunrise",
    "Mission", "Fruitvale", "Golden Gate", "Cypress", "Madrone", "Manzanita", "Juniper", "Laurel",
    "Marina", "Brookfield", "Garfield", "Lincoln", "Roosevelt", "Jefferson", "Franklin", "Hoover",
    "Emerson", "Thoreau", "Whittier", "Muir", "Burbank", "Edison", "Carver", "Parker", "Stonehurst",
    "Highland", "Melrose", "Acorn", "Sobrante", "El Cerrito", "La Paz", "Las Palmas", "Vista Verde",
    "Buena Vista", "Monte Vista", "Alta Loma", "Rancho", "Valle", "Arroyo", "Del Mar", "Sierra",
    "Pacifica", "Horizon", "Pioneer", "Harbor", "Grand View", "Crocker", "Fremont", "Kennedy",
    "King", "Lowell", "Marshall", "Sojourner Truth", "Ida B. Wells", "Fred Korematsu", "Yuri Kochiyama",
]

FIRST_NAMES = [
    "Aaliyah", "Adrian", "Alejandra", "Amara", "Andre", "Angela", "Arjun", "Beatriz", "Brandon", "Camila",
    "Carlos", "Chen", "Daniela", "Darnell", "Deja", "Diego", "Elena", "Emeka", "Esperanza", "Fatima",
    "Gabriel", "Grace", "Hana", "Ibrahim", "Imani", "Isabel", "Jamal", "Jasmine", "Javier", "Jin",
    "Kai", "Keisha", "Kenji", "Lakshmi", "Leticia", "Lin", "Luis", "Malia", "Marcus", "Maria",
    "Mei", "Miguel", "Nadia", "Nia", "Omar", "Priya", "Rafael", "Rosa", "Samuel", "Sofia",
    "Tanisha", "Thanh", "Tomas", "Valeria", "Wei", "Xochitl", "Yesenia", "Yusuf", "Zainab", "Zoe",
]

LAST_NAMES = [
    "Abara", "Alvarez", "Banks", "Bautista", "Carter", "Castillo", "Chan", "Cruz", "Delgado", "Diaz",
    "Edwards", "Espinoza", "Flores", "Garcia", "Gonzalez", "Gutierrez", "Hernandez", "Huang", "Jackson",
    "Jimenez", "Johnson", "Kim", "Lee", "Lopez", "Martinez", "Mendoza", "Morales", "Nguyen", "Okafor",
    "Ortiz", "Patel", "Pham", "Ramirez", "Reyes", "Rivera", "Robinson", "Rodriguez", "Sanchez", "Singh",
    "Tran", "Vargas", "Washington", "Williams", "Wong", "Yamamoto", "Young",
]

RACE_GROUPS = [
    "Hispanic or Latino", "African American", "Asian", "Filipino", "White",
    "Two or more races", "Pacific Islander", "American Indian or Alaska Native",
]
