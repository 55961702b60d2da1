/**
 * The words of the demo's catalog in the three languages its PIM writes: English (the connector's
 * language, the store's primary one), Spanish (a language the demo's store has enabled: its texts
 * become Shopify translations) and French (one the store has not enabled: the run warns of it).
 * Model names (Summit, Ridge, …) and numbers stay as they are in every language.
 */

/** The languages the demo's catalog is written in, the connector's (English) first. */
export const LANGUAGES = ['en', 'es', 'fr'] as const;

/** One of the catalog's languages. */
export type Language = (typeof LANGUAGES)[number];

/** A text in each of the catalog's languages. */
export type Texts = Readonly<Record<Language, string>>;

/** A category: its name (a collection's title) and what one of its products is called in a product's title. */
export interface CategoryWords {
  name: Texts;
  item: Texts;
}

const t = (en: string, es: string, fr: string): Texts => ({ en, es, fr });

/** The 30 categories of the catalog, in order (the last two get no products). */
export const CATEGORY_WORDS: readonly CategoryWords[] = [
  { name: t('Trail Running Shoes', 'Zapatillas de trail', 'Chaussures de trail'), item: t('Trail Running Shoe', 'Zapatilla de trail', 'Chaussure de trail') },
  { name: t('Hiking Boots', 'Botas de montaña', 'Chaussures de randonnée'), item: t('Hiking Boot', 'Bota de montaña', 'Chaussure de randonnée') },
  { name: t('Rain Jackets', 'Chaquetas impermeables', 'Vestes imperméables'), item: t('Rain Jacket', 'Chaqueta impermeable', 'Veste imperméable') },
  { name: t('Insulated Jackets', 'Chaquetas aislantes', 'Doudounes'), item: t('Insulated Jacket', 'Chaqueta aislante', 'Doudoune') },
  { name: t('Base Layers', 'Capas base', 'Sous-couches'), item: t('Base Layer', 'Capa base', 'Sous-couche') },
  { name: t('Fleece', 'Forros polares', 'Polaires'), item: t('Fleece', 'Forro polar', 'Polaire') },
  { name: t('Hiking Pants', 'Pantalones de montaña', 'Pantalons de randonnée'), item: t('Hiking Pants', 'Pantalón de montaña', 'Pantalon de randonnée') },
  { name: t('Shorts', 'Pantalones cortos', 'Shorts'), item: t('Shorts', 'Pantalón corto', 'Short') },
  { name: t('Socks', 'Calcetines', 'Chaussettes'), item: t('Socks', 'Calcetines', 'Chaussettes') },
  { name: t('Gloves', 'Guantes', 'Gants'), item: t('Gloves', 'Guantes', 'Gants') },
  { name: t('Hats & Beanies', 'Gorros', 'Bonnets et chapeaux'), item: t('Hat', 'Gorro', 'Bonnet') },
  { name: t('Backpacks', 'Mochilas', 'Sacs à dos'), item: t('Backpack', 'Mochila', 'Sac à dos') },
  { name: t('Daypacks', 'Mochilas de día', 'Sacs de journée'), item: t('Daypack', 'Mochila de día', 'Sac de journée') },
  { name: t('Tents', 'Tiendas de campaña', 'Tentes'), item: t('Tent', 'Tienda de campaña', 'Tente') },
  { name: t('Sleeping Bags', 'Sacos de dormir', 'Sacs de couchage'), item: t('Sleeping Bag', 'Saco de dormir', 'Sac de couchage') },
  { name: t('Sleeping Pads', 'Esterillas', 'Matelas de sol'), item: t('Sleeping Pad', 'Esterilla', 'Matelas de sol') },
  { name: t('Trekking Poles', 'Bastones', 'Bâtons de randonnée'), item: t('Trekking Poles', 'Bastones', 'Bâtons') },
  { name: t('Headlamps', 'Frontales', 'Lampes frontales'), item: t('Headlamp', 'Frontal', 'Lampe frontale') },
  { name: t('Water Bottles', 'Botellas', 'Gourdes'), item: t('Water Bottle', 'Botella', 'Gourde') },
  { name: t('Stoves', 'Hornillos', 'Réchauds'), item: t('Stove', 'Hornillo', 'Réchaud') },
  { name: t('Cookware', 'Menaje', 'Batterie de cuisine'), item: t('Cookware', 'Set de cocina', 'Popote') },
  { name: t('Climbing Harnesses', 'Arneses', 'Baudriers'), item: t('Climbing Harness', 'Arnés', 'Baudrier') },
  { name: t('Helmets', 'Cascos', 'Casques'), item: t('Helmet', 'Casco', 'Casque') },
  { name: t('Ropes', 'Cuerdas', 'Cordes'), item: t('Rope', 'Cuerda', 'Corde') },
  { name: t('Navigation', 'Orientación', 'Orientation'), item: t('Compass', 'Brújula', 'Boussole') },
  { name: t('First Aid', 'Primeros auxilios', 'Premiers secours'), item: t('First Aid Kit', 'Botiquín', 'Trousse de secours') },
  { name: t('Sunglasses', 'Gafas de sol', 'Lunettes de soleil'), item: t('Sunglasses', 'Gafas de sol', 'Lunettes de soleil') },
  { name: t('Gaiters', 'Polainas', 'Guêtres'), item: t('Gaiters', 'Polainas', 'Guêtres') },
  { name: t('Kids', 'Niños', 'Enfants'), item: t('Kids’ Jacket', 'Chaqueta infantil', 'Veste enfant') },
  { name: t('Clearance', 'Liquidación', 'Déstockage'), item: t('Clearance Item', 'Artículo en liquidación', 'Article déstocké') },
];

/**
 * A product's title: the model (adjective and number) and what it is, in each language's order:
 * "Summit Rain Jacket 101", "Chaqueta impermeable Summit 101", "Veste imperméable Summit 101".
 */
export function productTitle(model: string, number: number, item: Texts): Texts {
  return t(`${model} ${item.en} ${number}`, `${item.es} ${model} ${number}`, `${item.fr} ${model} ${number}`);
}

/** A collection's description: what it holds, as a short paragraph. */
export function categoryDescription(name: Texts): Texts {
  return t(
    `<p>${name.en}: chosen and field-tested by the Northwall team.</p>`,
    `<p>${name.es}: selección y pruebas de campo del equipo Northwall.</p>`,
    `<p>${name.fr} : sélection et essais terrain par l’équipe Northwall.</p>`,
  );
}

/** Materials, by category index (as the product details' specs list them). */
export const MATERIALS: readonly Texts[] = [
  t('Recycled mesh upper, rubber lug outsole', 'Empeine de malla reciclada, suela de goma con tacos', 'Tige en mesh recyclé, semelle crantée en caoutchouc'),
  t('Nubuck leather, waterproof membrane', 'Piel nobuk, membrana impermeable', 'Cuir nubuck, membrane imperméable'),
  t('2.5-layer recycled nylon ripstop', 'Nailon ripstop reciclado de 2,5 capas', 'Nylon ripstop recyclé 2,5 couches'),
  t('Nylon shell, 800-fill responsibly sourced down', 'Exterior de nailon, plumón de origen responsable 800 cuin', 'Extérieur en nylon, duvet d’origine responsable 800 cuin'),
  t('Merino wool 200 g/m²', 'Lana merino 200 g/m²', 'Laine mérinos 200 g/m²'),
  t('Recycled polyester grid fleece', 'Forro polar de rejilla de poliéster reciclado', 'Polaire grille en polyester recyclé'),
  t('Stretch nylon with DWR finish', 'Nailon elástico con acabado DWR', 'Nylon stretch avec traitement déperlant'),
  t('Quick-dry recycled polyester', 'Poliéster reciclado de secado rápido', 'Polyester recyclé à séchage rapide'),
  t('Merino wool blend', 'Mezcla de lana merino', 'Laine mérinos mélangée'),
  t('Softshell with goat-leather palm', 'Softshell con palma de piel de cabra', 'Softshell, paume en cuir de chèvre'),
  t('Recycled polyester knit', 'Punto de poliéster reciclado', 'Maille en polyester recyclé'),
  t('420D nylon with PU coating', 'Nailon 420D con recubrimiento de PU', 'Nylon 420D enduit PU'),
  t('210D recycled nylon', 'Nailon reciclado 210D', 'Nylon recyclé 210D'),
  t('20D silnylon fly, aluminium poles', 'Doble techo de silnylon 20D, varillas de aluminio', 'Double toit en silnylon 20D, arceaux en aluminium'),
  t('Ripstop nylon, synthetic insulation', 'Nailon ripstop, aislamiento sintético', 'Nylon ripstop, isolation synthétique'),
  t('TPU-laminated nylon, insulated baffles', 'Nailon laminado con TPU, cámaras aislantes', 'Nylon laminé TPU, alvéoles isolantes'),
  t('Carbon fibre shafts, cork grips', 'Tramos de fibra de carbono, empuñaduras de corcho', 'Brins en fibre de carbone, poignées en liège'),
  t('Aluminium housing, rechargeable battery', 'Carcasa de aluminio, batería recargable', 'Boîtier en aluminium, batterie rechargeable'),
  t('Stainless steel, vacuum insulated', 'Acero inoxidable, aislamiento al vacío', 'Acier inoxydable, isolation sous vide'),
  t('Titanium burner, piezo igniter', 'Quemador de titanio, encendido piezoeléctrico', 'Brûleur en titane, allumage piézo'),
  t('Hard-anodised aluminium', 'Aluminio anodizado duro', 'Aluminium anodisé dur'),
  t('Nylon webbing, aluminium buckles', 'Cinta de nailon, hebillas de aluminio', 'Sangles en nylon, boucles en aluminium'),
  t('Polycarbonate shell, EPS foam', 'Carcasa de policarbonato, espuma EPS', 'Coque en polycarbonate, mousse EPS'),
  t('Nylon kernmantle, dry-treated', 'Nailon kernmantle con tratamiento dry', 'Nylon âme-gaine, traitement dry'),
  t('Liquid-filled capsule, baseplate with scales', 'Cápsula con líquido, base con escalas', 'Capsule à bain liquide, plaquette graduée'),
  t('Waterproof pouch with medical supplies', 'Bolsa estanca con material sanitario', 'Pochette étanche avec matériel de soin'),
  t('Polycarbonate lenses, category 3', 'Lentes de policarbonato, categoría 3', 'Verres en polycarbonate, catégorie 3'),
  t('Stretch nylon with hook-and-loop closure', 'Nailon elástico con cierre de velcro', 'Nylon stretch, fermeture auto-agrippante'),
];

/** Care instructions (multi-line), by kind of gear. */
export const CARE = {
  wash: t(
    'Machine wash cold with a technical detergent.\nDo not use fabric softener.\nHang to dry.',
    'Lavar a máquina en frío con un detergente técnico.\nNo usar suavizante.\nSecar colgado.',
    'Laver en machine à froid avec une lessive technique.\nNe pas utiliser d’adoucissant.\nSécher suspendu.',
  ),
  waterproof: t(
    'Machine wash cold; close all zips first.\nTumble dry low to revive the water repellency.\nReproof with a wash-in treatment when water stops beading.',
    'Lavar a máquina en frío, con las cremalleras cerradas.\nSecar en secadora a baja temperatura para reactivar la repelencia al agua.\nReimpermeabilizar en el lavado cuando el agua deje de perlar.',
    'Laver en machine à froid, fermetures fermées.\nSécher en machine à basse température pour réactiver la déperlance.\nRéimperméabiliser en machine quand l’eau ne perle plus.',
  ),
  down: t(
    'Wash rarely, by hand or front-loader, with a down wash.\nTumble dry low with clean tennis balls.\nStore loose, never compressed.',
    'Lavar pocas veces, a mano o en lavadora de carga frontal, con jabón para plumón.\nSecar en secadora a baja temperatura con pelotas de tenis limpias.\nGuardar suelto, nunca comprimido.',
    'Laver rarement, à la main ou en machine à hublot, avec une lessive pour duvet.\nSécher en machine à basse température avec des balles de tennis propres.\nRanger sans compresser.',
  ),
  wipe: t(
    'Wipe clean with a damp cloth.\nDry away from direct heat.\nInspect before every trip.',
    'Limpiar con un paño húmedo.\nSecar lejos de fuentes de calor.\nRevisar antes de cada salida.',
    'Nettoyer avec un chiffon humide.\nSécher à l’écart de toute source de chaleur.\nInspecter avant chaque sortie.',
  ),
  hardware: t(
    'Rinse with fresh water after use.\nDry fully before storing.\nRetire after a hard fall or visible damage.',
    'Aclarar con agua dulce después de usar.\nSecar por completo antes de guardar.\nRetirar tras una caída fuerte o un daño visible.',
    'Rincer à l’eau douce après usage.\nSécher complètement avant de ranger.\nRéformer après une chute importante ou un dommage visible.',
  ),
} as const satisfies Record<string, Texts>;

/** Colours of the gear: their names, and the colour itself (six hex digits). */
export const COLOURS: ReadonlyArray<{ name: Texts; rgb: string }> = [
  { name: t('Moss', 'Musgo', 'Mousse'), rgb: '5b7a3a' },
  { name: t('Ember', 'Brasa', 'Braise'), rgb: 'c0492b' },
  { name: t('Slate', 'Pizarra', 'Ardoise'), rgb: '4a5a6a' },
  { name: t('Glacier', 'Glaciar', 'Glacier'), rgb: '3f88ad' },
  { name: t('Sand', 'Arena', 'Sable'), rgb: 'b09060' },
  { name: t('Midnight', 'Medianoche', 'Minuit'), rgb: '1f2a44' },
];

/** What an image shows, in the order of a product's images. */
export const VIEWS: readonly Texts[] = [t('front view', 'vista frontal', 'vue de face'), t('side view', 'vista lateral', 'vue de profil'), t('detail', 'detalle', 'détail')];

/** An image's alt text: the product in a colour, seen one way. */
export function altText(name: Texts, colour: Texts, view: Texts): Texts {
  return t(`${name.en} in ${colour.en}, ${view.en}`, `${name.es} en ${colour.es}, ${view.es}`, `${name.fr} coloris ${colour.fr}, ${view.fr}`);
}

/** The alt text of a product's photo outdoors (its failing image). */
export function outdoorAlt(name: Texts): Texts {
  return t(`${name.en} on the trail`, `${name.es} en la montaña`, `${name.fr} en montagne`);
}

/** What the trickle adds to a reworded alt text, by language. */
export const REWORDED_ALT: Texts = t(', photographed on the trail', ', fotografiado en la montaña', ', photographié en montagne');

/** A text as it reads after a colon: its first word in lower case, unless it is an acronym ("TPU-laminated"). */
function afterColon(text: Texts): Texts {
  const lower = (s: string) => (/^\p{Lu}\p{Ll}/u.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
  return t(lower(text.en), lower(text.es), lower(text.fr));
}

/** A product's description (HTML): what it is, its material and weight, and who tested it. */
export function productDescription(name: Texts, materialName: Texts, grams: number): Texts {
  const material = afterColon(materialName);
  return t(
    `<p>${name.en}: ${material.en}.</p><p>${grams} g. Field-tested by the Northwall team, from the Pyrenees to the Alps.</p>`,
    `<p>${name.es}: ${material.es}.</p><p>${grams} g. Pruebas de campo del equipo Northwall, de los Pirineos a los Alpes.</p>`,
    `<p>${name.fr} : ${material.fr}.</p><p>${grams} g. Essais terrain par l’équipe Northwall, des Pyrénées aux Alpes.</p>`,
  );
}

/** A product's SEO title and description (Shopify's search engine listing). */
export function seoTexts(name: Texts, category: Texts, materialName: Texts, grams: number): { title: Texts; description: Texts } {
  const material = afterColon(materialName);
  return {
    title: t(`${name.en} | Northwall Outfitters`, `${name.es} | Northwall Outfitters`, `${name.fr} | Northwall Outfitters`),
    description: t(
      `${category.en}: ${material.en}, ${grams} g. Free returns within 30 days.`,
      `${category.es}: ${material.es}, ${grams} g. Devolución gratuita en 30 días.`,
      `${category.fr} : ${material.fr}, ${grams} g. Retours gratuits sous 30 jours.`,
    ),
  };
}

/** The text in the other languages than English, as a text metafield's `translations` takes them. */
export function translationsOf(text: Texts): Record<string, string> {
  const { en, ...others } = text;
  void en;
  return others;
}
